using KubeRunbooks.Clusters;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using KubeRunbooks.Certificates;
using WorkloadRef = KubeRunbooks.Kubernetes.Workloads.WorkloadRef;
using KubeRunbooks.Errors;
using KubeRunbooks.Kubernetes.Annotations;
using KubeRunbooks.Kubernetes.Workloads;
using KubeRunbooks.Runbooks;
using KubeRunbooks.Runbooks.Ledger;
using KubeRunbooks.Runbooks.Plans;
using KubeRunbooks.Secrets;

namespace KubeRunbooks.Tasks.Vantiq.Secrets;

/// <summary>
/// What a certificate or license renewal or rollback will do, decided before the first change from the arguments, the
/// files, the profile and the cluster: every refusal is an <see cref="InvalidInputException"/> (exit 2, nothing
/// written). Computed once per run and shared by the steps (also under --dryrun).
/// </summary>
public sealed record SecretRenewalPlan : IRunbookPlan
{
    /// <summary>The certificate files in the sensitive folder (the seed's names).</summary>
    public static readonly IReadOnlyList<string> SslFiles = ["fullchain.crt", "private.key"];

    /// <summary>The license files in the sensitive folder (the seed's names).</summary>
    public static readonly IReadOnlyList<string> LicenseFiles = ["license.key", "public.pem"];

    /// <summary>The targets this plan knows.</summary>
    public static readonly IReadOnlyList<string> Targets = [SecretTargets.RenewSslCertificate, SecretTargets.RollbackSslCertificate, SecretTargets.RenewLicense, SecretTargets.RollbackLicense];

    /// <summary>The target (canonical spelling).</summary>
    public required string Target { get; init; }

    /// <summary>The profile name.</summary>
    public required string Cluster { get; init; }

    /// <summary>The sensitive folder.</summary>
    public required SensitiveFolder Folder { get; init; }

    /// <summary>The files to put in place (new ones, or the archived set's content for a rollback).</summary>
    public required IReadOnlyList<SensitiveFile> Files { get; init; }

    /// <summary>For a rollback, the archived set renamed back; null for a renewal.</summary>
    public ArchivedSet? RollbackSet { get; init; }

    /// <summary>The Secrets as they will be written.</summary>
    public required IReadOnlyList<SecretSpec> Secrets { get; init; }

    /// <summary>The Secrets as they are now (null where absent): written back if a later step fails.</summary>
    public required IReadOnlyList<(SecretSpec Wanted, SecretSpec? Before)> Previous { get; init; }

    /// <summary>The StatefulSet rolled after the Secrets change (the license), or null.</summary>
    public WorkloadRef? Restart { get; init; }

    /// <summary>The certificate being installed (SSL targets), or null.</summary>
    public ValidatedCertificate? Certificate { get; init; }

    /// <summary>The ingress endpoint to look at afterwards, or null when the profile names none.</summary>
    public string? IngressEndpoint { get; init; }

    /// <summary>The server name asked for in that handshake.</summary>
    public string ServerName { get; init; } = "localhost";

    /// <inheritdoc />
    public required string LockNamespace { get; init; }

    /// <inheritdoc />
    public OperationOpening? Opens => null;

    /// <summary>What the steps changed so far (made after the lock, with this plan).</summary>
    public SecretRenewalState State { get; } = new();

    /// <summary>The plan of this run (made by the Vantiq module for the four targets).</summary>
    public static SecretRenewalPlan Of(RunbookContext context) => context.Plan<SecretRenewalPlan>();

    /// <summary>Builds the plan (validation and reads only).</summary>
    public static async Task<SecretRenewalPlan> BuildAsync(RunbookContext context, CancellationToken cancellationToken)
    {
        var settings = context.Profile.Product<VantiqSettings>()
            ?? throw new InvalidInputException($"Profile '{context.Profile.Name}' ({context.Profile.SourcePath}) has no vantiq section: Vantiq is not installed on this cluster.");
        var target = Targets.FirstOrDefault(t => string.Equals(t, context.Argument("target"), StringComparison.OrdinalIgnoreCase))
            ?? throw new InvalidInputException($"The secret renewal steps run only as part of {string.Join(", ", Targets)}.");
        var folder = new SensitiveFolder(settings.SensitiveFolder);
        var writer = new SecretWriter(context.Kubernetes);
        var server = WorkloadRef.StatefulSet(settings.Namespace, settings.Server.Name);
        cancellationToken.ThrowIfCancellationRequested();
        await RefuseDuringAnotherOperationAsync(context, server).ConfigureAwait(false);

        var ssl = target is SecretTargets.RenewSslCertificate or SecretTargets.RollbackSslCertificate;
        var names = ssl ? SslFiles : LicenseFiles;
        ArchivedSet? set = null;
        IReadOnlyList<SensitiveFile> files;
        if (target is SecretTargets.RenewSslCertificate or SecretTargets.RenewLicense)
        {
            files = ssl
                ? [ReadArgumentFile(context, "certificate", "fullchain.crt"), ReadArgumentFile(context, "key", "private.key")]
                : [ReadArgumentFile(context, "license", "license.key"), ReadArgumentFile(context, "public-key", "public.pem")];
        }
        else
        {
            set = folder.FindSet(names, context.Argument("date"));
            files = names.Select(n => new SensitiveFile(n, File.ReadAllBytes(Path.Combine(folder.Path, $"{n}.{set.Suffix}")))).ToList();
        }

        foreach (var file in files) RegisterSecret(context, file);

        List<SecretSpec> secrets;
        ValidatedCertificate? certificate = null;
        if (ssl)
        {
            var (chainFile, keyFile) = set is null ? (context.Argument("certificate")!, context.Argument("key")!) : ($"{names[0]}.{set.Suffix}", $"{names[1]}.{set.Suffix}");
            var current = await CurrentLeafAsync(writer, settings.Namespace, settings.Secrets.Ssl).ConfigureAwait(false);
            certificate = CertificateValidator.Validate(Text(files[0]), chainFile, Text(files[1]), keyFile, new CertificateRequirements
            {
                Now = DateTimeOffset.UtcNow,
                Domain = settings.Domain,
                Current = current,
                CurrentSource = $"secret {settings.Namespace}/{settings.Secrets.Ssl}",
                // A rollback goes back on purpose to a certificate that expires earlier.
                Force = set is not null || context.Arguments.HasArgument("force"),
            });
            secrets =
            [
                SecretSpec.Tls(settings.Namespace, settings.Secrets.Ssl, files[0].Content, files[1].Content),
                SecretSpec.Tls(settings.SharedNamespace, settings.Secrets.IngressSsl, files[0].Content, files[1].Content),
            ];
        }
        else
        {
            var licenseName = set is null ? context.Argument("license")! : $"license.key.{set.Suffix}";
            var publicName = set is null ? context.Argument("public-key")! : $"public.pem.{set.Suffix}";
            if (Text(files[0]).Trim().Length == 0)
                throw new InvalidInputException($"license check failed for {licenseName}: the file is empty.");
            try
            {
                PemFiles.ReadPublicKey(Text(files[1]), publicName);
            }
            catch (CertificateCheckException e)
            {
                throw new InvalidInputException($"license check failed for {publicName}: {e.Message[(e.Message.IndexOf(": ", StringComparison.Ordinal) + 2)..]}", e);
            }

            secrets = [new SecretSpec(settings.Namespace, settings.Secrets.License, SecretSpec.OpaqueType, files.ToDictionary(f => f.Name, f => f.Content))];
        }

        var previous = new List<(SecretSpec, SecretSpec?)>();
        foreach (var spec in secrets)
        {
            var now = await writer.TryReadAsync(spec.Namespace, spec.Name).ConfigureAwait(false);
            previous.Add((spec, now is null ? null : spec with { Type = now.Type ?? SecretSpec.OpaqueType, Data = (now.Data ?? new Dictionary<string, byte[]>()).ToDictionary(p => p.Key, p => p.Value) }));
        }

        if (!ssl && await new WorkloadOperations(context.Kubernetes).TryGetAsync(server).ConfigureAwait(false) is null)
            throw new InvalidInputException($"{server} does not exist on cluster '{context.Profile.Name}' (profile {context.Profile.SourcePath}, vantiq.statefulSet): it cannot be restarted to read the license.");

        return new SecretRenewalPlan
        {
            Target = target,
            LockNamespace = settings.Namespace,
            Cluster = context.Profile.Name,
            Folder = folder,
            Files = files,
            RollbackSet = set,
            Secrets = secrets,
            Previous = previous,
            Restart = ssl ? null : server,
            Certificate = certificate,
            IngressEndpoint = ssl ? settings.IngressEndpoint : null,
            ServerName = settings.Domain?.TrimStart('*', '.') is { Length: > 0 } d ? (settings.Domain!.StartsWith('*') ? "www." + d : d) : "localhost",
        };
    }

    /// <summary>The dated suffix the renewal will archive under today (for the dry run's lines).</summary>
    public string TodaySuffix => DateTime.UtcNow.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    private static async Task RefuseDuringAnotherOperationAsync(RunbookContext context, WorkloadRef server)
    {
        var state = await new WorkloadOperations(context.Kubernetes).TryGetAsync(server).ConfigureAwait(false);
        if (state is not null && state.Annotations.TryGetValue(AnnotationStore.Operation, out var json))
        {
            string describe;
            try { describe = OperationLedger.From(state.Annotations, server)?.Describe() ?? "operation"; }
            catch (Exception e) when (e is InvalidDataException or InvalidInputException) { describe = $"operation (unreadable record {json.Length} characters)"; }
            throw new InvalidInputException($"{server} records an unfinished {describe}: finish or roll it back before changing secrets.");
        }
    }

    private static SensitiveFile ReadArgumentFile(RunbookContext context, string argument, string name)
    {
        var path = context.Argument(argument);
        if (string.IsNullOrWhiteSpace(path)) throw new InvalidInputException($"--{argument}=FILE is required: the new {name}.");
        if (!File.Exists(path)) throw new InvalidInputException($"--{argument}={path}: no such file.");
        var info = new FileInfo(path);
        if (info.Length > 1024 * 1024) throw new InvalidInputException($"--{argument}={path}: {info.Length} bytes is not a {name} (over 1 MiB).");
        return new SensitiveFile(name, File.ReadAllBytes(path));
    }

    private static async Task<X509Certificate2?> CurrentLeafAsync(SecretWriter writer, string ns, string name)
    {
        var secret = await writer.TryReadAsync(ns, name).ConfigureAwait(false);
        if (secret?.Data is null || !secret.Data.TryGetValue("tls.crt", out var crt)) return null;
        try
        {
            return PemFiles.ReadCertificates(Encoding.ASCII.GetString(crt), $"secret {ns}/{name}")[0];
        }
        catch (CertificateCheckException)
        {
            return null; // an unreadable certificate in use is replaced, not compared
        }
    }

    private static void RegisterSecret(RunbookContext context, SensitiveFile file)
    {
        // Certificates are public; keys and licenses are not: every line of them is masked wherever it could appear.
        if (file.Name is "fullchain.crt" or "public.pem") return;
        var text = Text(file);
        context.Masker.Register(text.Trim());
        foreach (var line in text.Split('\n').Select(l => l.Trim()).Where(l => l.Length >= 16 && !l.StartsWith("-----", StringComparison.Ordinal)))
            context.Masker.Register(line);
    }

    private static string Text(SensitiveFile file) => Encoding.ASCII.GetString(file.Content);
}

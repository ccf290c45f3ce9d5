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

    /// <summary>The vendor's commands that write the Secrets, in order (<c>vantiq.secretCommands</c>), or null when the tool writes them.</summary>
    public IReadOnlyList<(string Name, string Command)>? Commands { get; init; }

    /// <summary>The folder the commands run in (null: the current one).</summary>
    public string? CommandsFolder { get; init; }

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

    /// <summary>The Vantiq StatefulSet, which carries the operation record (the ledger every Vantiq target reads); null when it does not exist.</summary>
    public required WorkloadRef? Anchor { get; init; }

    /// <summary>What this run does about an unfinished operation (open its own, resume this target's, replace a renewal it rolls back).</summary>
    public required LedgerDecision Ledger { get; init; }

    /// <summary>The record's inputs: the SHA-256 of each file put in place (never a value) and, for a rollback, the set.</summary>
    public required IReadOnlyDictionary<string, string> Inputs { get; init; }

    /// <summary>True when a resumed run finds the files of its record already in place: the folder step is not done twice.</summary>
    public bool FilesInPlace { get; init; }

    /// <inheritdoc />
    public OperationOpening? Opens => Ledger.Resumed is null && Anchor is not null ? new OperationOpening(Anchor, Target, Inputs) : null;

    /// <summary>What the steps changed so far (made after the lock, with this plan).</summary>
    public SecretRenewalState State { get; } = new();

    /// <summary>The operation ledger on <see cref="Anchor"/>, or null when the StatefulSet does not exist (nothing recorded).</summary>
    public OperationLedger? LedgerOn(RunbookContext context)
    {
        if (Anchor is null) return null;
        var log = Kubernetes.Logging.LineSinks.ToCakeLog(context.Log);
        return new OperationLedger(new AnnotationStore(new WorkloadOperations(context.Kubernetes, log), log), Anchor);
    }

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
        var unfinished = await UnfinishedAsync(context, server).ConfigureAwait(false);

        var ssl = target is SecretTargets.RenewSslCertificate or SecretTargets.RollbackSslCertificate;
        var renewal = target is SecretTargets.RenewSslCertificate or SecretTargets.RenewLicense;
        var names = ssl ? SslFiles : LicenseFiles;
        ArchivedSet? set = null;
        IReadOnlyList<SensitiveFile> files;
        LedgerDecision decision;
        var filesInPlace = false;
        if (renewal)
        {
            files = ssl
                ? [ReadArgumentFile(context, "certificate", "fullchain.crt"), ReadArgumentFile(context, "key", "private.key")]
                : [ReadArgumentFile(context, "license", "license.key"), ReadArgumentFile(context, "public-key", "public.pem")];
            decision = Decide(context, unfinished, server, target, FileInputs(files));
            filesInPlace = decision.Resumed is not null && InPlace(folder, files);
        }
        else
        {
            // A rollback resumes with the set its record names (that set may already be renamed back).
            decision = Decide(context, unfinished, server, target, new Dictionary<string, string>());
            if (decision.Resumed?.Input(SetInput) is { } recordedSet)
            {
                var inPlace = names.Select(n => new SensitiveFile(n, folder.TryRead(n) ?? [])).ToList();
                filesInPlace = names.All(n => decision.Resumed.Input(n) == SecretFingerprints.Of(inPlace.First(f => f.Name == n).Content));
                set = filesInPlace ? ArchivedSet.FromSuffix(recordedSet, names) : folder.Sets(names).FirstOrDefault(x => x.Suffix == recordedSet)
                    ?? throw new InvalidInputException($"The unfinished {decision.Resumed.Describe()} rolls back to {string.Join(", ", names.Select(n => $"{n}.{recordedSet}"))}, which {folder.Path} no longer holds and whose content is not in place: look at the folder, then add --fresh to start over.");
                files = filesInPlace ? inPlace : ReadSet(folder, set, names);
            }
            else
            {
                set = folder.FindSet(names, context.Argument("date"));
                files = ReadSet(folder, set, names);
            }
        }

        foreach (var file in files) RegisterSecret(context, file);

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
                // A rollback goes back on purpose to a certificate that expires earlier; a resumed run may find its own
                // certificate already in the secret.
                Force = set is not null || decision.Resumed is not null || context.Arguments.HasArgument("force"),
            });
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

        }

        var secrets = Specs(settings, ssl, files);
        // A resumed run whose files are in place may find its own content in the Secrets already: what they held before
        // the operation is what the files it moved aside hold.
        var original = filesInPlace ? OriginalFiles(folder, decision.Resumed!, names) : null;
        var originalSecrets = original is null ? null : Specs(settings, ssl, original);
        var previous = new List<(SecretSpec, SecretSpec?)>();
        for (var i = 0; i < secrets.Count; i++)
        {
            var spec = secrets[i];
            if (originalSecrets is not null)
            {
                previous.Add((spec, originalSecrets[i]));
                continue;
            }

            var now = await writer.TryReadAsync(spec.Namespace, spec.Name).ConfigureAwait(false);
            previous.Add((spec, now is null ? null : spec with { Type = now.Type ?? SecretSpec.OpaqueType, Data = (now.Data ?? new Dictionary<string, byte[]>()).ToDictionary(p => p.Key, p => p.Value) }));
        }

        var inputs = FileInputs(files);
        if (set is not null) inputs[SetInput] = set.Suffix;

        if (settings.SecretCommands?.WorkingDirectory is { } commandsFolder && !Directory.Exists(commandsFolder))
            throw new InvalidInputException($"vantiq.secretCommands.workingDirectory {commandsFolder} (profile {context.Profile.SourcePath}) does not exist.");
        var serverExists = await new WorkloadOperations(context.Kubernetes).TryGetAsync(server).ConfigureAwait(false) is not null;
        if (!ssl && !serverExists)
            throw new InvalidInputException($"{server} does not exist on cluster '{context.Profile.Name}' (profile {context.Profile.SourcePath}, vantiq.statefulSet): it cannot be restarted to read the license.");

        return new SecretRenewalPlan
        {
            Target = target,
            LockNamespace = settings.Namespace,
            Anchor = serverExists ? server : null,
            Ledger = decision,
            Inputs = inputs,
            FilesInPlace = filesInPlace,
            Cluster = context.Profile.Name,
            Folder = folder,
            Files = files,
            RollbackSet = set,
            Secrets = secrets,
            Previous = previous,
            Restart = ssl ? null : server,
            Commands = settings.SecretCommands?.For(ssl),
            CommandsFolder = settings.SecretCommands?.WorkingDirectory,
            Certificate = certificate,
            IngressEndpoint = ssl ? IngressOf(context, settings) : null,
            ServerName = settings.Domain?.TrimStart('*', '.') is { Length: > 0 } d ? (settings.Domain!.StartsWith('*') ? "www." + d : d) : "localhost",
        };
    }

    /// <summary>The dated suffix the renewal will archive under today (for the dry run's lines).</summary>
    public string TodaySuffix => DateTime.UtcNow.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    /// <summary>Ledger input of a rollback: the dated suffix of the set it renames back.</summary>
    public const string SetInput = "set";

    /// <summary>Ledger taken: the dated names the renewal archived the files in place under (or the rollback kept them as).</summary>
    public const string ArchivedTaken = "archived";

    /// <summary>Ledger mark: the sensitive folder holds the new files.</summary>
    public const string FilesInstalledMark = "filesInstalled";

    /// <summary>Ledger mark: the Secrets hold the new content, read back and verified.</summary>
    public const string SecretsVerifiedMark = "secretsVerified";

    /// <summary>Ledger mark: the StatefulSet was restarted and its rollout finished.</summary>
    public const string RestartedMark = "restarted";

    private static async Task<OperationRecord?> UnfinishedAsync(RunbookContext context, WorkloadRef server)
    {
        var state = await new WorkloadOperations(context.Kubernetes).TryGetAsync(server).ConfigureAwait(false);
        if (state is null) return null;
        try
        {
            return OperationLedger.From(state.Annotations, server);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidInputException(e.Message, e);
        }
    }

    // The same target with the same files resumes; a rollback replaces the unfinished renewal it undoes; all else is refused.
    private static LedgerDecision Decide(RunbookContext context, OperationRecord? unfinished, WorkloadRef server, string target, IReadOnlyDictionary<string, string> given)
    {
        var undoes = unfinished is not null && (target, unfinished.Target) is
            (SecretTargets.RollbackSslCertificate, SecretTargets.RenewSslCertificate) or (SecretTargets.RollbackLicense, SecretTargets.RenewLicense);
        var decision = LedgerDecision.Decide(unfinished, target, given, context.Arguments.HasArgument("fresh"), undoes);
        if (decision.Action != LedgerAction.Refuse) return decision;
        var found = decision.Unfinished!;
        var how = string.Equals(found.Target, target, StringComparison.OrdinalIgnoreCase)
            ? $"run {found.Target} again with the same files to finish it (their SHA-256 are in the record), or add --fresh to start over"
            : $"run {found.Target} again to finish it first";
        throw new InvalidInputException($"{server} records an unfinished {found.Describe()}: {how}.");
    }

    private static Dictionary<string, string> FileInputs(IReadOnlyList<SensitiveFile> files) =>
        files.ToDictionary(f => f.Name, f => SecretFingerprints.Of(f.Content), StringComparer.Ordinal);

    private static bool InPlace(SensitiveFolder folder, IReadOnlyList<SensitiveFile> files) =>
        files.All(f => folder.TryRead(f.Name) is { } now && SecretFingerprints.Of(now) == SecretFingerprints.Of(f.Content));

    private static List<SensitiveFile> ReadSet(SensitiveFolder folder, ArchivedSet set, IReadOnlyList<string> names) =>
        names.Select(n => new SensitiveFile(n, File.ReadAllBytes(Path.Combine(folder.Path, $"{n}.{set.Suffix}")))).ToList();

    // "embedded" is the embedded cluster's ingress, whose port is known only once that cluster runs.
    private static string? IngressOf(RunbookContext context, VantiqSettings settings) =>
        settings.IngressEndpoint != VantiqSettings.EmbeddedIngress ? settings.IngressEndpoint
        : context.Session.LocalCluster?.IngressEndpoint
          ?? throw new InvalidInputException($"vantiq.ingressEndpoint: {VantiqSettings.EmbeddedIngress} names the embedded simulated cluster's ingress, and profile '{context.Profile.Name}' ({context.Profile.SourcePath}) does not run on it.");

    // The files the operation moved aside (a renewal's archived set, a rollback's kept files), or null when none.
    private static List<SensitiveFile>? OriginalFiles(SensitiveFolder folder, OperationRecord record, IReadOnlyList<string> names)
    {
        if (record.TakenOf(ArchivedTaken) is not { Length: > 0 } taken) return null;
        var moved = taken.Split(',', StringSplitOptions.TrimEntries);
        var files = names.Select(n => moved.FirstOrDefault(m => m.StartsWith(n + ".", StringComparison.Ordinal)) is { } m && folder.TryRead(m) is { } content
            ? new SensitiveFile(n, content) : null).ToList();
        return files.All(f => f is not null) ? files.Select(f => f!).ToList() : null;
    }

    private static List<SecretSpec> Specs(VantiqSettings settings, bool ssl, IReadOnlyList<SensitiveFile> files) => ssl
        ?
        [
            SecretSpec.Tls(settings.Namespace, settings.Secrets.Ssl, files[0].Content, files[1].Content),
            SecretSpec.Tls(settings.SharedNamespace, settings.Secrets.IngressSsl, files[0].Content, files[1].Content),
        ]
        : [new SecretSpec(settings.Namespace, settings.Secrets.License, SecretSpec.OpaqueType, files.ToDictionary(f => f.Name, f => f.Content))];

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

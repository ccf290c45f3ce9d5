using KubeRunbooks.Clusters;
using System.Text;
using Cake.Core.Diagnostics;
using Cake.Frosting;
using k8s;
using KubeRunbooks.Errors;
using KubeRunbooks.Kubernetes.Inspection;
using KubeRunbooks.Kubernetes.Workloads;
using KubeRunbooks.Runbooks;
using KubeRunbooks.Secrets;

namespace KubeRunbooks.Tasks.Vantiq.Install;

/// <summary>
/// The seed's first-build checks, read-only on the cluster: every pod of the Vantiq and shared namespaces running and
/// ready; the key <c>vantiq-0</c>'s <c>vantiq</c> container prints between asterisk lines found in its log and saved to
/// the sensitive folder (mode 0600, never printed); pods on their intended nodes (<c>vantiq.nodePlacement</c>); each
/// LoadBalancer Service's DNS name resolving. One line per check; exit 1 when any fails.
/// </summary>
[TaskName("VerifyInstall")]
[TaskDescription("First-build checks (read-only): pods ready, vantiq-0's startup key saved to the sensitive folder, pods on their nodes, load balancer names resolve")]
public sealed class VerifyInstallTask : AsyncFrostingTask<RunbookContext>
{
    /// <summary>The file the startup key is saved to, in the sensitive folder.</summary>
    public const string KeyFileName = "vantiq-startup.key";

    /// <inheritdoc />
    public override async Task RunAsync(RunbookContext context)
    {
        var settings = context.Profile.Product<VantiqSettings>()
            ?? throw new InvalidInputException($"Profile '{context.Profile.Name}' ({context.Profile.SourcePath}) has no vantiq section: Vantiq is not installed on this cluster.");
        var client = context.Kubernetes;
        var results = new List<CheckResult>
        {
            await PodReadiness.CheckAsync(client, [settings.Namespace, settings.SharedNamespace]),
            await StartupKeyAsync(context, settings),
            await NodePlacementAsync(context, settings),
            await LoadBalancerNames.CheckAsync(client),
        };
        foreach (var result in results)
        {
            var line = context.Masker.Mask(result.ToString())!;
            if (result.Passed) context.Log.Information(line);
            else context.Log.Error(line);
            context.Journal.RecordFact($"check:{result.Name}", context.Masker.Mask($"{(result.Passed ? "pass" : "fail")}: {result.Detail}")!);
        }

        var failed = results.Where(r => !r.Passed).Select(r => r.Name).ToList();
        if (failed.Count > 0) throw new StepFailedException($"VerifyInstall: {failed.Count} of {results.Count} checks failed ({string.Join(", ", failed)}); nothing was changed.");
        context.Log.Information($"VerifyInstall: all {results.Count} checks passed.");
    }

    private static async Task<CheckResult> StartupKeyAsync(RunbookContext context, VantiqSettings settings)
    {
        const string name = "startup key";
        var pod = $"{settings.Server.Name}-0";
        List<string> lines;
        try
        {
            await using var stream = await context.Kubernetes.CoreV1.ReadNamespacedPodLogAsync(pod, settings.Namespace, container: settings.Server.Name);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            lines = (await reader.ReadToEndAsync()).Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        }
        catch (k8s.Autorest.HttpOperationException e)
        {
            return new CheckResult(name, false, $"the log of {settings.Namespace}/{pod} container {settings.Server.Name} cannot be read ({(int?)e.Response?.StatusCode})");
        }

        var key = BannerValue.Find(lines);
        if (key is null) return new CheckResult(name, false, $"no key between asterisk lines in the log of {settings.Namespace}/{pod} container {settings.Server.Name} (kubectl logs pod/{pod} -c {settings.Server.Name} -n {settings.Namespace})");
        context.Masker.Register(key);
        var folder = new SensitiveFolder(settings.SensitiveFolder, Kubernetes.Logging.LineSinks.ToCakeLog(context.Log));
        var content = Encoding.UTF8.GetBytes(key + "\n");
        var path = Path.Combine(folder.Path, KeyFileName);
        if (folder.TryRead(KeyFileName) is { } existing && existing.AsSpan().SequenceEqual(content))
            return new CheckResult(name, true, $"found in the log of {pod}; already saved in {path}");
        var archived = folder.Replace([new SensitiveFile(KeyFileName, content)], DateOnly.FromDateTime(DateTime.UtcNow));
        return new CheckResult(name, true, $"found in the log of {pod}; saved to {path} (mode 0600){(archived is null ? "" : $"; the different key there before is kept as {archived.Describe()}")}");
    }

    private static async Task<CheckResult> NodePlacementAsync(RunbookContext context, VantiqSettings settings)
    {
        var ops = new WorkloadOperations(context.Kubernetes);
        var placements = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        foreach (var (workload, placement) in settings.NodePlacement)
        {
            var reference = WorkloadRef.StatefulSet(settings.Namespace, workload);
            var state = await ops.TryGetAsync(reference) ?? await ops.TryGetAsync(WorkloadRef.Deployment(settings.Namespace, workload));
            if (state is null) return new CheckResult("pods on their nodes", false, $"vantiq.nodePlacement names {workload}, which is neither a statefulset nor a deployment in {settings.Namespace}");
            placements[workload] = (state.PodSelector, placement);
        }

        return await NodePlacementCheck.CheckAsync(context.Kubernetes, settings.Namespace, placements);
    }
}

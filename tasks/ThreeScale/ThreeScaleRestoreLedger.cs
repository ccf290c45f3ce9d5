using KubeRunbooks.Kubernetes.Annotations;
using KubeRunbooks.Kubernetes.Workloads;
using KubeRunbooks.Runbooks;
using KubeRunbooks.Runbooks.Ledger;
using KubeRunbooks.Tasks.OpenShift;

namespace KubeRunbooks.Tasks.ThreeScale;

/// <summary>
/// The ThreeScaleRestore operation record, kept on system-app (a DeploymentConfig, or a Deployment in operator
/// installs): opened with the set's name, it names each Redis file a run moved aside (kept) as soon as it was moved,
/// so a rerun after a kill names the earlier run's files too; removed by the restore's last step.
/// </summary>
internal static class ThreeScaleRestoreLedger
{
    /// <summary>The input: the set restored (a rerun with the same set resumes; another set is refused).</summary>
    public const string BackupInput = "backup";

    private const string MovedAsidePrefix = "movedAside:";

    /// <summary>The object that carries the record.</summary>
    public static WorkloadRef Anchor(ThreeScaleWorkloads workloads) => workloads[ThreeScaleInstall.SystemApp];

    /// <summary>The annotation store for the install's workloads (DeploymentConfigs included).</summary>
    public static AnnotationStore Notes(RunbookContext context, Action<string>? log = null) =>
        new(new WorkloadOperations(context.Kubernetes, log), log, new DeploymentConfigObjects(context.Kubernetes, OpenShiftApis.DeploymentConfigs));

    /// <summary>The ledger on the anchor.</summary>
    public static OperationLedger For(RunbookContext context, ThreeScaleWorkloads workloads, Action<string>? log = null) =>
        new(Notes(context, log), Anchor(workloads));

    /// <summary>The key under which one load (workload and suffix) records what it keeps aside.</summary>
    public static string MovedAsideKey(string workload, string suffix) => $"{MovedAsidePrefix}{workload}:{suffix}";

    /// <summary>The value recorded: the kept files' paths in the data folder (empty when they were moved back).</summary>
    public static string MovedAsideValue(string folder, IEnumerable<string> names) => string.Join(", ", names.Select(n => $"{folder}/{n}"));

    /// <summary>Every file the operation's runs moved aside and kept, one line per load: <c>WORKLOAD: PATH, PATH</c>.</summary>
    public static IReadOnlyList<string> MovedAside(OperationRecord? record) =>
        record is null
            ? []
            : record.Taken.Where(t => t.Key.StartsWith(MovedAsidePrefix, StringComparison.Ordinal) && t.Value.Length > 0)
                .OrderBy(t => t.Key, StringComparer.Ordinal)
                .Select(t => $"{t.Key[MovedAsidePrefix.Length..t.Key.LastIndexOf(':')]}: {t.Value}")
                .ToList();
}

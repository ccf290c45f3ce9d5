using KubeRunbooks.Kubernetes.Workloads;
using KubeRunbooks.Runbooks.Ledger;
using KubeRunbooks.Tasks.Vantiq;
using KubeRunbooks.Versions;

namespace KubeRunbooks.Tests.Plans;

/// <summary>A Vantiq install as a plan reads it, built in memory: running 1.30.4, nothing recorded unless a test says so.</summary>
internal sealed class VantiqPlanFixture
{
    public const string Cluster = "prod";

    public ImageReference CurrentImage { get; set; } = ImageReference.Parse("vantiq/vantiq-server:1.30.4");

    public ImageReference? PreviousImage { get; set; }

    public string? RecordedBackup { get; set; }

    public OperationRecord? Unfinished { get; set; }

    public static WorkloadRef Server { get; } = WorkloadRef.StatefulSet("vantiq", "vantiq");

    public VantiqInstall Install() => new()
    {
        Settings = new VantiqSettings(),
        Cluster = Cluster,
        ProfilePath = "clusters/prod.yaml",
        Server = Server,
        Optional = [],
        AbsentOptional = [],
        States = new Dictionary<WorkloadRef, WorkloadState>(),
        ServerContainer = "vantiq",
        CurrentImage = CurrentImage,
        CurrentVersion = ProductVersion.Parse(CurrentImage.Tag!),
        Unfinished = Unfinished,
        PreviousImage = PreviousImage,
        RecordedBackup = RecordedBackup,
    };

    /// <summary>An unfinished operation of <paramref name="target"/> as the ledger records it.</summary>
    public static OperationRecord Record(string target, string from, string to, string fromImage, string? backup = null)
    {
        var record = new OperationRecord
        {
            Target = target,
            Run = "run-1",
            StartedAt = new DateTimeOffset(2026, 12, 1, 3, 0, 0, TimeSpan.Zero),
            Inputs = new Dictionary<string, string> { [VantiqLedgerKeys.From] = from, [VantiqLedgerKeys.To] = to, [VantiqLedgerKeys.FromImage] = fromImage },
        };
        return backup is null ? record : record.WithTaken(VantiqLedgerKeys.Backup, backup);
    }

    /// <summary>The decision for a fresh run of <paramref name="target"/>.</summary>
    public LedgerDecision Decide(string target, string? to = null, bool fresh = false, bool mayReplace = false) =>
        VantiqPlan.Decide(Install(), target, to, fresh, mayReplace);
}

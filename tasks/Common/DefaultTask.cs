using Cake.Frosting;

namespace KubeRunbooks.Tasks.Common;

/// <summary>With no --target the tool only reads: it shows the cluster (safe at any hour).</summary>
[TaskName("Default")]
[TaskDescription("Runs ClusterInfo: read-only")]
[IsDependentOn(typeof(ClusterInfoTask))]
public sealed class DefaultTask : FrostingTask
{
}

using Cake.Frosting;

namespace KubeRunbooks.Frosting;

/// <summary>Narrows task discovery (tests keep each fixture's tasks apart; Frosting has no such option).</summary>
public static class TaskDiscoveryExtensions
{
    /// <summary>Registers only the discovered task classes whose namespace is exactly <paramref name="taskNamespace"/>.</summary>
    public static RunbookHost UseTasksInNamespace(this RunbookHost host, string taskNamespace)
    {
        ArgumentNullException.ThrowIfNull(host);
        return host.FilterTasks(type => type.Namespace == taskNamespace);
    }
}

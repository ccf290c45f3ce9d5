namespace KubeRunbooks.Simulator.Runtime;

/// <summary>The Services of the cluster as the runtime needs them: names for each pod's <c>/etc/hosts</c>, selectors and ports for servers.</summary>
public interface IServiceSource
{
    /// <summary>Every Service of every namespace.</summary>
    IReadOnlyList<ServiceEntry> Services();
}

/// <summary>One Service: its selector (empty: selects nothing) and its ports.</summary>
public sealed record ServiceEntry(string Namespace, string Name, IReadOnlyDictionary<string, string> Selector, IReadOnlyList<ServicePortEntry> Ports);

/// <summary>A Service port: the port clients use and the pod port it targets (a number or a container port's name).</summary>
public sealed record ServicePortEntry(int Port, string TargetPort);

using KubeRunbooks.Simulator.Faults;
using KubeRunbooks.Simulator.Runtime;
using KubeRunbooks.Simulator.Store;

namespace KubeRunbooks.Simulator.Server;

/// <summary>
/// A controller of the simulated cluster (StatefulSet, Job, pod...): started once the store and
/// server are up, stopped (disposed) when the cluster is disposed. It works on the store
/// directly: list, get, watch, create, update, update status.
/// </summary>
public interface IController : IAsyncDisposable
{
    /// <summary>A short name for logs (<c>statefulset</c>).</summary>
    string Name { get; }

    /// <summary>Starts the controller's loops and returns; <paramref name="stopping"/> is cancelled at shutdown.</summary>
    Task StartAsync(ControllerContext context, CancellationToken stopping);
}

/// <summary>What a controller is given at start.</summary>
/// <param name="Store">The object store.</param>
/// <param name="Faults">The fault plan (failing Jobs, never-ready pods...).</param>
/// <param name="Runtime">The container runtime, or null when the cluster runs without one.</param>
/// <param name="RootFolder">The folder for the cluster's runtime data.</param>
public sealed record ControllerContext(ObjectStore Store, FaultPlan Faults, IPodRuntime? Runtime, string RootFolder);

using System.Collections.Concurrent;
using System.Diagnostics;
using k8s.Models;

namespace KubeRunbooks.Simulator.Runtime;

/// <summary>The runtime's view of one pod: its container runs (with history for <c>previous</c>) and running processes.</summary>
internal sealed class PodState(V1Pod pod, IPodStatusSink sink)
{
    private readonly object _gate = new();
    private readonly Dictionary<string, List<ContainerRun>> _runs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ContainerContext> _contexts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _waiting = new(StringComparer.Ordinal);

    /// <summary>The pod spec it runs.</summary>
    public V1Pod Pod { get; } = pod;

    /// <summary>Namespace.</summary>
    public string Namespace => Pod.Metadata.NamespaceProperty ?? "default";

    /// <summary>Pod name.</summary>
    public string Name => Pod.Metadata.Name;

    /// <summary>Where state changes go.</summary>
    public IPodStatusSink Sink { get; } = sink;

    /// <summary>Cancelled when the pod is stopped.</summary>
    public CancellationTokenSource Stopping { get; } = new();

    /// <summary>The pod's run (init containers, then containers); completes when all have ended or the pod stopped.</summary>
    public Task Running { get; set; } = Task.CompletedTask;

    /// <summary>The pod's stop (signal, grace period, kill, files removed), once asked for.</summary>
    public Task? Stopped { get; set; }

    /// <summary>Processes started by exec, killed with the pod.</summary>
    public ConcurrentDictionary<int, Process> ExecProcesses { get; } = new();

    /// <summary>Carries the runs of an earlier pod of the same name, so <c>previous</c> finds them.</summary>
    public void InheritHistory(PodState earlier)
    {
        lock (earlier._gate) lock (_gate)
            foreach (var (name, runs) in earlier._runs) _runs[name] = new List<ContainerRun>(runs);
    }

    /// <summary>Records a new run of a container (its context for exec).</summary>
    public void AddRun(ContainerRun run, ContainerContext context)
    {
        lock (_gate)
        {
            if (!_runs.TryGetValue(run.Name, out var list)) _runs[run.Name] = list = new List<ContainerRun>();
            list.Add(run);
            if (list.Count > 2) list.RemoveAt(0); // only the current and the previous run are ever read
            _contexts[run.Name] = context;
            _waiting.Remove(run.Name);
        }
    }

    /// <summary>Records why a container is still waiting.</summary>
    public void SetWaiting(string container, string reason) { lock (_gate) _waiting[container] = reason; }

    /// <summary>The current run of a container, or null before it started.</summary>
    public ContainerRun? Current(string container) { lock (_gate) return _runs.TryGetValue(container, out var l) ? l[^1] : null; }

    /// <summary>The run before the current one, or null.</summary>
    public ContainerRun? Previous(string container) { lock (_gate) return _runs.TryGetValue(container, out var l) && l.Count > 1 ? l[^2] : null; }

    /// <summary>The context of the container's current run.</summary>
    public ContainerContext? Context(string container) { lock (_gate) return _contexts.GetValueOrDefault(container); }

    /// <summary>Why the container is waiting (PodInitializing unless something else was recorded).</summary>
    public string WaitingReason(string container) { lock (_gate) return _waiting.GetValueOrDefault(container, "PodInitializing"); }

    /// <summary>The container runs whose process is running.</summary>
    public IReadOnlyList<ContainerRun> RunningRuns()
    {
        lock (_gate) return _runs.Values.SelectMany(l => l).Where(r => r.IsRunning).ToList();
    }

    /// <summary>The contexts of the containers that have run (for refreshing their hosts files).</summary>
    public IReadOnlyList<ContainerContext> Contexts()
    {
        lock (_gate) return _contexts.Values.ToList();
    }

    /// <summary>Every process currently running in the pod (containers and execs).</summary>
    public IReadOnlyList<Process> RunningProcesses()
    {
        lock (_gate)
        {
            return _runs.Values.SelectMany(l => l).Where(r => r.IsRunning).Select(r => r.Process!)
                .Concat(ExecProcesses.Values).ToList();
        }
    }

    /// <summary>
    /// Resolves the container a request names, as the API server does: none given is fine only when the pod
    /// has one container; an unknown name is a 400 naming the pod.
    /// </summary>
    public StatusResponses.Error? ResolveContainer(string? requested, out string container)
    {
        var containers = Pod.Spec.Containers?.Select(c => c.Name).ToList() ?? [];
        var inits = Pod.Spec.InitContainers?.Select(c => c.Name).ToList() ?? [];
        container = requested ?? "";
        if (string.IsNullOrEmpty(requested))
        {
            if (containers.Count == 1)
            {
                container = containers[0];
                return null;
            }
            var message = $"a container name must be specified for pod {Name}, choose one of: [{string.Join(" ", containers)}]";
            if (inits.Count > 0) message += $" or one of the init containers: [{string.Join(" ", inits)}]";
            return StatusResponses.BadRequest(message);
        }
        if (containers.Contains(requested) || inits.Contains(requested)) return null;
        return StatusResponses.BadRequest($"container {requested} is not valid for pod {Name}");
    }
}

using System.Text.Json.Nodes;
using KubeRunbooks.Simulator.Runtime;

namespace KubeRunbooks.Simulator.Controllers;

/// <summary>
/// One run of one pod (identified by its uid, since a StatefulSet recreates pods under the same
/// name): its containers' states, from which the pod's status is composed.
/// </summary>
internal sealed class PodInstance
{
    private readonly object _gate = new();
    private readonly List<ContainerState> _containers;
    private readonly Dictionary<string, string> _images;

    public PodInstance(JsonObject pod, bool neverReady)
    {
        Namespace = Workloads.Namespace(pod);
        Name = Workloads.Name(pod);
        Uid = Workloads.Uid(pod);
        NeverReady = neverReady;
        RestartPolicy = (string?)pod["spec"]?["restartPolicy"] ?? "Always";
        StartedAt = DateTimeOffset.UtcNow;
        var inits = (pod["spec"]?["initContainers"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var mains = (pod["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        _images = inits.Concat(mains).ToDictionary(c => (string?)c["name"] ?? "", c => (string?)c["image"] ?? "");
        _containers =
        [
            .. inits.Select(c => new ContainerState((string?)c["name"] ?? "", true) { WaitingReason = "PodInitializing" }),
            .. mains.Select(c => new ContainerState((string?)c["name"] ?? "", false) { WaitingReason = inits.Count > 0 ? "PodInitializing" : "ContainerCreating" }),
        ];
        PodIp = $"10.244.{Random.Shared.Next(0, 250)}.{Random.Shared.Next(2, 250)}";
    }

    public string Namespace { get; }

    public string Name { get; }

    public string Uid { get; }

    public bool NeverReady { get; }

    public string RestartPolicy { get; }

    public DateTimeOffset StartedAt { get; }

    public string PodIp { get; }

    /// <summary>Set once the readiness delay has passed after every container started.</summary>
    public bool ReadinessElapsed { get; set; }

    /// <summary>True once the readiness countdown was started.</summary>
    public bool ReadinessScheduled { get; set; }

    /// <summary>Bumped at each restart: reports from an older run of the pod are ignored.</summary>
    public int RunNumber { get; private set; }

    /// <summary>True once a container of the pod has started (the phase stays Running across restarts).</summary>
    public bool HasRun { get; private set; }

    /// <summary>True while a restart is scheduled.</summary>
    public bool RestartPending { get; private set; }

    /// <summary>
    /// For a restartPolicy Always pod whose containers ended: marks them CrashLoopBackOff and returns
    /// the restart count to back off on, or null when no restart is due.
    /// </summary>
    public int? BeginRestart()
    {
        lock (_gate)
        {
            if (RestartPolicy != "Always" || RestartPending) return null;
            var mains = _containers.Where(c => !c.IsInit).ToList();
            if (!_containers.Where(c => c.IsInit).All(c => c.ExitCode == 0) || !mains.Any(c => c.Terminated)) return null;
            RestartPending = true;
            RunNumber++;
            ReadinessElapsed = false;
            ReadinessScheduled = false;
            for (var i = 0; i < _containers.Count; i++)
            {
                var c = _containers[i];
                if (c.IsInit) continue;
                _containers[i] = c.Terminated ? c.Restarting() : c with { StartedAt = null, WaitingReason = "ContainerCreating" };
            }
            return mains.Max(c => c.RestartCount);
        }
    }

    /// <summary>The scheduled restart is starting.</summary>
    public void EndRestart()
    {
        lock (_gate) RestartPending = false;
    }

    /// <summary>Changes one container's state.</summary>
    public void Change(string container, bool isInit, Func<ContainerState, ContainerState> change)
    {
        lock (_gate)
        {
            var index = _containers.FindIndex(c => c.Name == container && c.IsInit == isInit);
            if (index >= 0) _containers[index] = change(_containers[index]);
            if (!isInit) HasRun = true;
        }
    }

    /// <summary>True when every init container succeeded and every container runs.</summary>
    public bool AllRunning
    {
        get
        {
            lock (_gate) return _containers.Where(c => c.IsInit).All(c => c.ExitCode == 0) && _containers.Where(c => !c.IsInit).All(c => c.Running);
        }
    }

    /// <summary>The pod status as a kubelet would report it now.</summary>
    public JsonObject ComposeStatus()
    {
        lock (_gate)
        {
            var inits = _containers.Where(c => c.IsInit).ToList();
            var mains = _containers.Where(c => !c.IsInit).ToList();
            var initFailed = inits.Any(c => c.ExitCode is int code && code != 0);
            var initialized = inits.All(c => c.ExitCode == 0);
            var ready = initialized && mains.All(c => c.Running) && ReadinessElapsed && !NeverReady;
            string phase;
            if (initFailed) phase = RestartPolicy == "Always" ? "Pending" : "Failed";
            else if (mains.Count > 0 && mains.All(c => c.Terminated)) phase = mains.All(c => c.ExitCode == 0) ? "Succeeded" : "Failed";
            else if (initialized && (HasRun || mains.Any(c => c.StartedAt != null))) phase = "Running";
            else phase = "Pending";

            var now = Workloads.Now();
            JsonObject Condition(string type, bool value, string? reason = null)
            {
                var condition = new JsonObject { ["type"] = type, ["status"] = value ? "True" : "False", ["lastProbeTime"] = null, ["lastTransitionTime"] = now };
                if (!value && reason != null) condition["reason"] = reason;
                return condition;
            }

            var podDone = phase is "Succeeded" or "Failed";
            var status = new JsonObject
            {
                ["phase"] = phase,
                ["conditions"] = new JsonArray(
                    Condition("PodReadyToStartContainers", !podDone),
                    Condition("Initialized", initialized, "ContainersNotInitialized"),
                    Condition("Ready", ready, podDone ? "PodCompleted" : "ContainersNotReady"),
                    Condition("ContainersReady", ready, podDone ? "PodCompleted" : "ContainersNotReady"),
                    Condition("PodScheduled", true)),
                ["hostIP"] = "10.0.0.10",
                ["hostIPs"] = new JsonArray(new JsonObject { ["ip"] = "10.0.0.10" }),
                ["podIP"] = PodIp,
                ["podIPs"] = new JsonArray(new JsonObject { ["ip"] = PodIp }),
                ["startTime"] = Store.ObjectStore.Timestamp(StartedAt),
                ["qosClass"] = "BestEffort",
            };
            if (inits.Count > 0) status["initContainerStatuses"] = new JsonArray(inits.Select(c => (JsonNode)c.ToStatus(_images[c.Name], c.ExitCode == 0)).ToArray());
            status["containerStatuses"] = new JsonArray(mains.Select(c => (JsonNode)c.ToStatus(_images[c.Name], ready && c.Running)).ToArray());
            return status;
        }
    }

    /// <summary>The sink the runtime reports this pod's container changes to.</summary>
    public IPodStatusSink Sink(Action<PodInstance> changed) => new InstanceSink(this, RunNumber, changed);

    private sealed class InstanceSink(PodInstance instance, int run, Action<PodInstance> changed) : IPodStatusSink
    {
        public void ContainerStarted(string ns, string podName, string container, bool isInit, DateTimeOffset at)
        {
            if (run != instance.RunNumber) return;
            instance.Change(container, isInit, c => c with { StartedAt = at, WaitingReason = null, WaitingMessage = null });
            changed(instance);
        }

        public void ContainerTerminated(string ns, string podName, string container, bool isInit, int exitCode, DateTimeOffset at)
        {
            // A process killed by a restart belongs to the previous run.
            if (run != instance.RunNumber) return;
            instance.Change(container, isInit, c => c with { StartedAt = c.StartedAt ?? at, FinishedAt = at, ExitCode = exitCode, WaitingReason = null });
            changed(instance);
        }

        public void ContainerWaiting(string ns, string podName, string container, bool isInit, string reason, string message)
        {
            if (run != instance.RunNumber) return;
            instance.Change(container, isInit, c => c with { WaitingReason = reason, WaitingMessage = message });
            changed(instance);
        }
    }
}

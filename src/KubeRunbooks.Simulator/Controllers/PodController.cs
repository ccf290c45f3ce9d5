using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using k8s.Models;
using KubeRunbooks.Simulator.Store;

namespace KubeRunbooks.Simulator.Controllers;

/// <summary>
/// The simulated kubelet: hands each new pod to the container runtime, writes the pod's status
/// from the runtime's reports (phase, init and container statuses, conditions), marks it Ready
/// once every container runs and the readiness delay has passed, and stops the processes of a
/// deleted pod. Without a runtime, containers are simulated: they start at once, and those of
/// pods that do not restart (Jobs) exit 0.
/// Honours <see cref="Faults.FaultPlan.FailingJobs"/> (the Job's containers exit 1) and
/// <see cref="Faults.FaultPlan.NeverReadyPods"/>. A container of a restartPolicy Always pod that
/// ends is restarted after a back-off (CrashLoopBackOff, doubling from <c>restartBackOff</c>, 10 s
/// by default, up to 5 minutes), with restartCount and lastState kept; init containers do not rerun.
/// </summary>
public sealed class PodController(TimeSpan readinessDelay, TimeSpan? restartBackOff = null) : WatchingController
{
    private readonly TimeSpan _backOff = restartBackOff ?? TimeSpan.FromSeconds(10);
    private readonly ConcurrentDictionary<string, PodInstance> _instances = new();

    /// <inheritdoc />
    public override string Name => "pod";

    /// <inheritdoc />
    protected override IReadOnlyList<ResourceKind> Watched { get; } = [ResourceCatalog.Pods];

    /// <inheritdoc />
    protected override Task HandleAsync(StoreEvent change)
    {
        var uid = Workloads.Uid(change.Object);
        // The kubelet runs a pod once the scheduler has bound it to a node.
        if (change.Type != StoreEventType.Deleted && !_instances.ContainsKey(uid) && change.Object["status"]?["startTime"] == null
            && !string.IsNullOrEmpty((string?)change.Object["spec"]?["nodeName"]))
        {
            Start(change.Object);
        }
        else if (change.Type == StoreEventType.Deleted && _instances.TryRemove(uid, out var gone))
        {
            KubeletEventSink.RecordKilling(Store, change.Object);
            // As a kubelet: the stop signal, the grace period, then SIGKILL; the controller goes on meanwhile.
            if (Context.Runtime is { } runtime) _ = StopThenForgetAsync(runtime, gone.Namespace, gone.Name, GracePeriodOf(change.Object));
        }
        return Task.CompletedTask;
    }

    private void Start(JsonObject pod)
    {
        var instance = new PodInstance(pod, Context.Faults.IsNeverReady(Workloads.Name(pod)));
        _instances[instance.Uid] = instance;
        Write(instance);
        var failing = JobNameOf(pod) is { } job && Context.Faults.IsFailingJob(job);
        var sink = new KubeletEventSink(instance.Sink(Changed), Store, pod);
        if (Context.Runtime is { } runtime)
        {
            var model = pod.As<V1Pod>();
            if (failing) MakeFail(model);
            runtime.StartPod(model, sink);
            return;
        }
        Simulate(pod, sink, failing);
    }

    private void Simulate(JsonObject pod, Runtime.IPodStatusSink sink, bool failing)
    {
        var ns = Workloads.Namespace(pod);
        var name = Workloads.Name(pod);
        var now = DateTimeOffset.UtcNow;
        foreach (var init in (pod["spec"]?["initContainers"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var container = (string?)init["name"] ?? "";
            var code = Context.Faults.ForcedExitCode(name, container) ?? 0;
            sink.ContainerStarted(ns, name, container, true, now);
            sink.ContainerTerminated(ns, name, container, true, code, now);
            if (code != 0) return;
        }
        var restarts = ((string?)pod["spec"]?["restartPolicy"] ?? "Always") == "Always";
        foreach (var main in (pod["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var container = (string?)main["name"] ?? "";
            sink.ContainerStarted(ns, name, container, false, now);
            var forced = Context.Faults.ForcedExitCode(name, container);
            if (forced != null || !restarts) sink.ContainerTerminated(ns, name, container, false, forced ?? (failing ? 1 : 0), now);
        }
    }

    private void Changed(PodInstance instance)
    {
        if (!_instances.ContainsKey(instance.Uid)) return;
        if (Context.Runtime != null && instance.BeginRestart() is int restarts)
        {
            Write(instance);
            if (Store.TryGet(ResourceCatalog.Pods, instance.Namespace, instance.Name) is { } pod && Workloads.Uid(pod) == instance.Uid)
            {
                EventRecorder.Record(Store, ResourceCatalog.Pods, pod, "Warning", "BackOff", "Back-off restarting failed container", "kubelet");
            }
            _ = RestartLaterAsync(instance, restarts);
            return;
        }
        if (instance.AllRunning && !instance.ReadinessScheduled)
        {
            instance.ReadinessScheduled = true;
            if (readinessDelay <= TimeSpan.Zero) instance.ReadinessElapsed = true;
            else _ = MarkReadyLaterAsync(instance);
        }
        Write(instance);
    }

    private async Task MarkReadyLaterAsync(PodInstance instance)
    {
        try
        {
            await Task.Delay(readinessDelay, Stopping);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        instance.ReadinessElapsed = true;
        Write(instance);
    }

    private async Task RestartLaterAsync(PodInstance instance, int restarts)
    {
        var delay = TimeSpan.FromTicks(Math.Min(_backOff.Ticks * (1L << Math.Min(restarts - 1, 16)), TimeSpan.FromMinutes(5).Ticks));
        try
        {
            await Task.Delay(delay, Stopping);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        var pod = Store.TryGet(ResourceCatalog.Pods, instance.Namespace, instance.Name);
        if (pod == null || Workloads.Uid(pod) != instance.Uid || !_instances.ContainsKey(instance.Uid)) return;
        var model = pod.As<V1Pod>();
        // A kubelet restarts the containers only: the init containers already succeeded.
        model.Spec.InitContainers = null;
        instance.EndRestart();
        Context.Runtime!.StartPod(model, new KubeletEventSink(instance.Sink(Changed), Store, pod));
    }

    /// <summary>Writes the instance's status to its pod, unless the pod is gone or was replaced by a namesake.</summary>
    private void Write(PodInstance instance)
    {
        try
        {
            Store.Mutate(ResourceCatalog.Pods, instance.Namespace, instance.Name, pod =>
            {
                if (Workloads.Uid(pod) != instance.Uid) throw new ApiError(409, "Conflict", "replaced");
                pod["status"] = instance.ComposeStatus();
                return pod;
            }, statusOnly: true);
        }
        catch (ApiError)
        {
            // The pod was deleted (or replaced): its status no longer matters.
        }
    }

    private static async Task StopThenForgetAsync(Runtime.IPodRuntime runtime, string ns, string name, TimeSpan grace)
    {
        await runtime.StopPodAsync(ns, name, grace).ConfigureAwait(false);
        runtime.ForgetPod(ns, name);
    }

    /// <summary>The deletion's grace period (deletionGracePeriodSeconds), else the pod's terminationGracePeriodSeconds, else 30 s.</summary>
    private static TimeSpan GracePeriodOf(JsonObject pod)
    {
        var seconds = Seconds(pod["metadata"]?["deletionGracePeriodSeconds"]) ?? Seconds(pod["spec"]?["terminationGracePeriodSeconds"]) ?? 30;
        return TimeSpan.FromSeconds(Math.Max(0, seconds));
    }

    // A value parsed from a request holds a JsonElement; one set by the simulator's own code may hold an int.
    private static long? Seconds(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue<long>(out var l) => l,
        JsonValue v when v.TryGetValue<int>(out var i) => i,
        _ => null,
    };

    private static string? JobNameOf(JsonObject pod) =>
        Workloads.Label(pod, "batch.kubernetes.io/job-name") ?? Workloads.Label(pod, "job-name");

    /// <summary>A failing Job's containers exit 1 (only the copy given to the runtime changes; the stored pod keeps its spec).</summary>
    private static void MakeFail(V1Pod pod)
    {
        foreach (var container in pod.Spec.Containers)
        {
            container.Command = ["sh", "-c", "echo 'simulated failure (fault plan: failing job)' >&2; exit 1"];
            container.Args = null;
        }
    }
}

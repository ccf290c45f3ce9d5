using System.Text.Json.Nodes;
using KubeRunbooks.Simulator.Store;

namespace KubeRunbooks.Simulator.Controllers;

/// <summary>
/// The Job controller (one completion, parallelism 1): runs a pod; on success the Job gets the
/// SuccessCriteriaMet and Complete conditions, on failure a new pod is made until more than
/// backoffLimit pods have failed, then FailureTarget and Failed (BackoffLimitExceeded). Keeps
/// active / ready / succeeded / failed, startTime and completionTime. No back-off delay between
/// retries (a real cluster waits 10 s, 20 s...). CronJobs are only templates here: nothing
/// schedules them.
/// </summary>
public sealed class JobController : WatchingController
{
    /// <inheritdoc />
    public override string Name => "job";

    /// <inheritdoc />
    protected override IReadOnlyList<ResourceKind> Watched { get; } = [ResourceCatalog.Jobs, ResourceCatalog.Pods];

    /// <inheritdoc />
    protected override Task HandleAsync(StoreEvent change)
    {
        if (change.Kind == ResourceCatalog.Jobs)
        {
            if (change.Type != StoreEventType.Deleted) Reconcile(Workloads.Namespace(change.Object), Workloads.Name(change.Object));
        }
        else if (Workloads.ControllerOf(change.Object, ResourceCatalog.Jobs) is { } owner)
        {
            Reconcile(Workloads.Namespace(change.Object), owner);
        }
        return Task.CompletedTask;
    }

    private void Reconcile(string ns, string name)
    {
        var job = Store.TryGet(ResourceCatalog.Jobs, ns, name);
        if (job == null) return;
        var old = job["status"] as JsonObject ?? new JsonObject();
        if (HasCondition(old, "Complete") || HasCondition(old, "Failed")) return;
        if ((bool?)job["spec"]?["suspend"] == true) return;

        var completions = Workloads.Int(job["spec"]?["completions"], 1);
        var backoffLimit = Workloads.Int(job["spec"]?["backoffLimit"], 6);
        var pods = Workloads.OwnedPods(Store, job);
        var succeeded = pods.Count(p => Workloads.Phase(p) == "Succeeded");
        var failed = pods.Count(p => Workloads.Phase(p) == "Failed");
        var active = pods.Count - succeeded - failed;
        var now = Workloads.Now();

        var status = new JsonObject
        {
            ["startTime"] = old["startTime"]?.DeepClone() ?? now,
            ["active"] = active,
            ["ready"] = pods.Count(p => Workloads.Phase(p) is not ("Succeeded" or "Failed") && Workloads.IsReady(p)),
            ["terminating"] = 0,
            ["uncountedTerminatedPods"] = new JsonObject(),
        };
        if (succeeded > 0) status["succeeded"] = succeeded;
        if (failed > 0) status["failed"] = failed;

        if (succeeded >= completions)
        {
            status["active"] = 0;
            status["completionTime"] = now;
            status["conditions"] = new JsonArray(
                Condition("SuccessCriteriaMet", "CompletionsReached", "Reached expected number of succeeded pods", now),
                Condition("Complete", "CompletionsReached", "Reached expected number of succeeded pods", now));
            EventRecorder.Record(Store, ResourceCatalog.Jobs, job, "Normal", "Completed", "Job completed", "job-controller");
        }
        else if (failed > backoffLimit)
        {
            status["active"] = 0;
            status["conditions"] = new JsonArray(
                Condition("FailureTarget", "BackoffLimitExceeded", "Job has reached the specified backoff limit", now),
                Condition("Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit", now));
            EventRecorder.Record(Store, ResourceCatalog.Jobs, job, "Warning", "BackoffLimitExceeded", "Job has reached the specified backoff limit", "job-controller");
        }
        else if (active == 0)
        {
            CreatePod(job, ns, name);
            status["active"] = 1;
        }
        Workloads.WriteStatus(Store, ResourceCatalog.Jobs, job, status);
    }

    private void CreatePod(JsonObject job, string ns, string name)
    {
        var pod = Workloads.PodFromTemplate(job["spec"]!["template"]!.AsObject(), Workloads.OwnerReference(ResourceCatalog.Jobs, job));
        var meta = pod["metadata"]!.AsObject();
        meta["generateName"] = name + "-";
        meta["namespace"] = ns;
        var created = Store.Create(ResourceCatalog.Pods, ns, pod);
        EventRecorder.Record(Store, ResourceCatalog.Jobs, job, "Normal", "SuccessfulCreate", $"Created pod: {Workloads.Name(created)}", "job-controller");
    }

    private static JsonObject Condition(string type, string reason, string message, string now) => new()
    {
        ["type"] = type,
        ["status"] = "True",
        ["reason"] = reason,
        ["message"] = message,
        ["lastProbeTime"] = now,
        ["lastTransitionTime"] = now,
    };

    private static bool HasCondition(JsonObject status, string type) =>
        status["conditions"] is JsonArray conditions &&
        conditions.Any(c => (string?)c?["type"] == type && (string?)c?["status"] == "True");
}

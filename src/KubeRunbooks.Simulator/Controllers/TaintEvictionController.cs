using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using KubeRunbooks.Simulator.Store;

namespace KubeRunbooks.Simulator.Controllers;

/// <summary>
/// NoExecute taints evict, as the taint-eviction controller does: a pod bound to a node with a NoExecute taint it
/// does not tolerate is deleted at once (its owner replaces it elsewhere); one that tolerates every such taint but
/// for <c>tolerationSeconds</c> is deleted when the shortest of those ends, unless the taint is gone by then.
/// Each eviction is a TaintManagerEviction event on the pod ("Marking for deletion Pod NS/NAME").
/// </summary>
public sealed class TaintEvictionController : WatchingController
{
    private const string Component = "taint-eviction-controller";
    private const string NoExecute = "NoExecute";
    private readonly ConcurrentDictionary<string, byte> _timers = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public override string Name => "taint-eviction";

    /// <inheritdoc />
    protected override IReadOnlyList<ResourceKind> Watched { get; } = [ResourceCatalog.Pods, ResourceCatalog.Nodes];

    /// <inheritdoc />
    protected override Task HandleAsync(StoreEvent change)
    {
        if (change.Type == StoreEventType.Deleted) return Task.CompletedTask;
        if (change.Kind == ResourceCatalog.Nodes)
        {
            var node = Workloads.Name(change.Object);
            foreach (var pod in Store.List(ResourceCatalog.Pods).Items.Where(p => NodeOf(p) == node)) Check(pod, change.Object);
        }
        else if (NodeOf(change.Object) is { Length: > 0 } nodeName && Store.TryGet(ResourceCatalog.Nodes, null, nodeName) is { } node)
        {
            Check(change.Object, node);
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// How long the pod may stay on the node: zero when a NoExecute taint is not tolerated, the shortest
    /// <c>tolerationSeconds</c> of the tolerations it uses, or null for as long as it likes.
    /// </summary>
    public static TimeSpan? TimeLeft(JsonObject pod, JsonObject node)
    {
        var tolerations = (pod["spec"]?["tolerations"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        TimeSpan? left = null;
        foreach (var taint in (node["spec"]?["taints"] as JsonArray ?? []).OfType<JsonObject>().Where(t => (string?)t["effect"] == NoExecute))
        {
            var key = (string?)taint["key"] ?? "";
            var value = (string?)taint["value"] ?? "";
            var used = tolerations.Where(t => NodeFit.Tolerates(t, key, value, NoExecute)).ToList();
            if (used.Count == 0) return TimeSpan.Zero;
            // A toleration without tolerationSeconds tolerates the taint forever.
            if (used.Any(t => t["tolerationSeconds"] is null)) continue;
            var seconds = used.Max(t => Math.Max(0, long.Parse(t["tolerationSeconds"]!.ToString(), CultureInfo.InvariantCulture)));
            var span = TimeSpan.FromSeconds(seconds);
            if (left is null || span < left) left = span;
        }
        return left;
    }

    private void Check(JsonObject pod, JsonObject node)
    {
        if (pod["metadata"]?["deletionTimestamp"] is not null) return;
        switch (TimeLeft(pod, node))
        {
            case null:
                return;
            case { } left when left <= TimeSpan.Zero:
                Evict(pod);
                return;
            case { } left:
                var uid = Workloads.Uid(pod);
                if (!_timers.TryAdd(uid, 0)) return;
                _ = EvictLaterAsync(Workloads.Namespace(pod), Workloads.Name(pod), uid, NodeOf(pod), left);
                return;
        }
    }

    private async Task EvictLaterAsync(string ns, string name, string uid, string nodeName, TimeSpan after)
    {
        try
        {
            await Task.Delay(after, Stopping).ConfigureAwait(false);
            // Looked at again: the taint may be gone, the pod replaced or moved.
            if (Store.TryGet(ResourceCatalog.Pods, ns, name) is not { } pod || Workloads.Uid(pod) != uid || NodeOf(pod) != nodeName) return;
            if (Store.TryGet(ResourceCatalog.Nodes, null, nodeName) is not { } node || TimeLeft(pod, node) is null) return;
            Evict(pod);
        }
        catch (OperationCanceledException)
        {
            // The cluster stopped.
        }
        catch (ApiError)
        {
            // Deleted meanwhile.
        }
        finally
        {
            _timers.TryRemove(uid, out _);
        }
    }

    private void Evict(JsonObject pod)
    {
        var ns = Workloads.Namespace(pod);
        var name = Workloads.Name(pod);
        EventRecorder.Record(Store, ResourceCatalog.Pods, pod, "Normal", "TaintManagerEviction", $"Marking for deletion Pod {ns}/{name}", Component);
        Store.Delete(ResourceCatalog.Pods, ns, name);
    }

    private static string NodeOf(JsonObject pod) => (string?)pod["spec"]?["nodeName"] ?? "";
}

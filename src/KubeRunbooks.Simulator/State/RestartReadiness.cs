using System.Diagnostics;
using System.Text.Json.Nodes;
using KubeRunbooks.Simulator.Store;

namespace KubeRunbooks.Simulator.State;

/// <summary>
/// After a node restart, waits until the pods that were ready before it are ready again, as an operator who starts
/// a local cluster expects of it (kind and minikube wait for their node too). A pod deleted meanwhile counts as done.
/// </summary>
public static class RestartReadiness
{
    /// <summary>
    /// Waits up to <paramref name="limit"/> until every pod of <paramref name="pods"/> (<c>NS/NAME</c>) is Ready or
    /// gone; returns those that are not, in order (empty when all are).
    /// </summary>
    public static async Task<IReadOnlyList<string>> WaitAsync(ObjectStore store, IReadOnlyList<string> pods, TimeSpan limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(pods);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var waiting = pods.Where(key => !ReadyOrGone(store, key)).ToList();
            if (waiting.Count == 0 || clock.Elapsed >= limit) return waiting;
            // The store has no change signal for callers outside the server; pods start in seconds, a tenth is fine.
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool ReadyOrGone(ObjectStore store, string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var pod = store.TryGet(ResourceCatalog.Pods, key[..slash], key[(slash + 1)..]);
        return pod is null || (pod["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>()
            .Any(c => (string?)c["type"] == "Ready" && (string?)c["status"] == "True") == true;
    }
}

using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using KubeRunbooks.Simulator.Faults;
using KubeRunbooks.Simulator.Store;
using KubeRunbooks.Simulator.Tables;
using Microsoft.AspNetCore.Http;

namespace KubeRunbooks.Simulator.Api;

/// <summary>
/// Serves <c>?watch=true</c>: one JSON event per line, flushed per line; from a resourceVersion
/// (410 Expired event when it is too old), bookmarks when asked, ending after timeoutSeconds.
/// Fault plan: a pending "410 on the next watch", and dropping a watch after N events.
/// </summary>
internal sealed class WatchEndpoint(ObjectStore store, FaultPlan faults, TimeSpan bookmarkInterval)
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(30);

    public async Task HandleAsync(HttpContext http, ResourcePath path)
    {
        var query = http.Request.Query;
        var labels = LabelSelector.Parse(query["labelSelector"]);
        var fields = FieldSelector.Parse(query["fieldSelector"]);
        if (path.Name != null) fields = FieldSelector.Parse($"metadata.name={path.Name}" + (query["fieldSelector"].Count > 0 ? "," + query["fieldSelector"] : ""));
        var bookmarks = IsTrue(query["allowWatchBookmarks"]);
        var asTable = TableDocuments.Wanted(http.Request.Headers.Accept);
        var timeout = long.TryParse(query["timeoutSeconds"], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds) : DefaultTimeout;
        long? from = null;
        var rv = (string?)query["resourceVersion"];
        if (!string.IsNullOrEmpty(rv) && rv != "0")
        {
            if (!long.TryParse(rv, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                throw ApiError.BadRequest($"invalid resource version: \"{rv}\"");
            }
            from = parsed;
        }

        http.Response.StatusCode = 200;
        http.Response.ContentType = asTable ? TableDocuments.ContentType : "application/json";
        await http.Response.StartAsync(http.RequestAborted);
        await http.Response.Body.FlushAsync(http.RequestAborted);

        if (faults.TakeGoneOnNextWatch())
        {
            await WriteEventAsync(http, "ERROR", ApiError.Expired(from ?? 0, store.CompactedThrough + 1).ToStatus());
            return;
        }
        StoreSubscription subscription;
        try
        {
            subscription = store.Watch(path.Kind, path.Namespace, from, o => labels.Matches(o) && fields.Matches(o));
        }
        catch (ApiError e) when (e.Code == 410)
        {
            await WriteEventAsync(http, "ERROR", e.ToStatus());
            return;
        }

        using (subscription)
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
            deadline.CancelAfter(timeout);
            var lastVersion = from ?? store.CurrentVersion;
            var sent = 0;
            try
            {
                while (true)
                {
                    using var tick = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);
                    if (bookmarks) tick.CancelAfter(bookmarkInterval);
                    StoreEvent e;
                    try
                    {
                        if (!await subscription.Events.WaitToReadAsync(tick.Token)) return;
                        e = await subscription.Events.ReadAsync(tick.Token);
                    }
                    catch (OperationCanceledException) when (!deadline.IsCancellationRequested)
                    {
                        await WriteEventAsync(http, "BOOKMARK", Bookmark(path.Kind, lastVersion));
                        continue;
                    }
                    lastVersion = Math.Max(lastVersion, e.ResourceVersion);
                    // kubectl get -w asks for Table events, one row each.
                    var payload = asTable ? TableDocuments.Build(path.Kind, [e.Object], e.ResourceVersion, null, query["includeObject"]) : e.Object;
                    await WriteEventAsync(http, e.WireType, payload);
                    sent++;
                    if (faults.DropWatchesAfterEvents is int drop && sent >= drop) return;
                }
            }
            catch (OperationCanceledException)
            {
                // timeoutSeconds reached or the client went away: the watch ends normally.
            }
        }
    }

    private static JsonObject Bookmark(ResourceKind kind, long version) => new()
    {
        ["kind"] = kind.Kind,
        ["apiVersion"] = kind.ApiVersion,
        ["metadata"] = new JsonObject { ["resourceVersion"] = version.ToString(CultureInfo.InvariantCulture) },
    };

    private static async Task WriteEventAsync(HttpContext http, string type, JsonObject obj)
    {
        var line = WireJson.Write(new JsonObject { ["type"] = type, ["object"] = obj }) + "\n";
        await http.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(line), http.RequestAborted);
        await http.Response.Body.FlushAsync(http.RequestAborted);
    }

    private static bool IsTrue(string? value) => value is "true" or "1" or "True";
}

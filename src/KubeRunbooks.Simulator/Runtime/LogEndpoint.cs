using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace KubeRunbooks.Simulator.Runtime;

/// <summary>
/// GET pods/NAME/log: chunked text/plain with the headers flushed at once; with follow it ends when the
/// container's run ends (or the client goes). Errors are Status objects worded as the API server words them.
/// </summary>
internal static class LogEndpoint
{
    /// <summary>Serves the request for the pod (null when the runtime does not know it).</summary>
    public static async Task ServeAsync(HttpContext http, PodState? pod, string podName, LogRequest request)
    {
        if (pod is null)
        {
            await StatusResponses.WriteAsync(http, StatusResponses.PodNotFound(podName)).ConfigureAwait(false);
            return;
        }
        if (pod.ResolveContainer(request.Container, out var container) is { } invalid)
        {
            await StatusResponses.WriteAsync(http, invalid).ConfigureAwait(false);
            return;
        }
        var run = request.Previous ? pod.Previous(container) : pod.Current(container);
        if (run is null)
        {
            var error = request.Previous
                ? StatusResponses.BadRequest($"previous terminated container \"{container}\" in pod \"{pod.Name}\" not found")
                : StatusResponses.BadRequest(
                    $"container \"{container}\" in pod \"{pod.Name}\" is waiting to start: {pod.WaitingReason(container)}");
            await StatusResponses.WriteAsync(http, error).ConfigureAwait(false);
            return;
        }

        http.Response.StatusCode = 200;
        http.Response.ContentType = "text/plain";
        // Clients (KubernetesClient's follow) return their stream only once headers arrive.
        await http.Response.StartAsync(http.RequestAborted).ConfigureAwait(false);
        await http.Response.Body.FlushAsync(http.RequestAborted).ConfigureAwait(false);

        var remaining = request.LimitBytes ?? long.MaxValue;
        try
        {
            await foreach (var batch in run.Log.ReadAsync(request.TailLines, request.Follow, http.RequestAborted).ConfigureAwait(false))
            {
                foreach (var line in batch)
                {
                    if (request.Timestamps)
                        remaining = await WriteLimitedAsync(http, Encoding.ASCII.GetBytes(Rfc3339Nano(line.At) + " "), remaining).ConfigureAwait(false);
                    remaining = await WriteLimitedAsync(http, line.Bytes, remaining).ConfigureAwait(false);
                    if (remaining <= 0) return;
                }
                await http.Response.Body.FlushAsync(http.RequestAborted).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client went away: nothing left to answer.
        }
    }

    /// <summary>A UTC time as Go's RFC3339Nano writes it (fraction without trailing zeros).</summary>
    public static string Rfc3339Nano(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture) + "Z";

    private static async Task<long> WriteLimitedAsync(HttpContext http, byte[] bytes, long remaining)
    {
        var count = (int)Math.Min(bytes.Length, remaining);
        await http.Response.Body.WriteAsync(bytes.AsMemory(0, count), http.RequestAborted).ConfigureAwait(false);
        return remaining - count;
    }
}

using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace KubeRunbooks.Simulator.Runtime;

/// <summary>
/// pods/NAME/attach (<c>kubectl attach</c>): upgrades to the same WebSocket channel protocol as exec
/// and streams what the running container prints from now on, on stdout, until the container's run
/// ends (then a Success Status on channel 3 and close) or the client goes. The container's own
/// stdin is not kept open by the runtime, so an attach asking for stdin is refused as a kubelet
/// refuses it for a container started without <c>stdin: true</c>.
/// </summary>
internal static class AttachEndpoint
{
    private const byte StdoutChannel = 1;

    /// <summary>Serves the request for the pod (null when the runtime does not know it).</summary>
    public static async Task ServeAsync(HttpContext http, PodState? pod, string podName, ExecRequest request)
    {
        var error = Validate(http, pod, podName, request, out var container, out var protocol);
        if (error is not null)
        {
            await StatusResponses.WriteAsync(http, error).ConfigureAwait(false);
            return;
        }
        var run = pod!.Current(container)!;
        using var socket = await http.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { SubProtocol = protocol }).ConfigureAwait(false);
        using var gone = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        // A pending receive answers pings and notices the client closing.
        var receiving = DrainAsync(socket, gone);
        try
        {
            await foreach (var batch in run.Log.ReadAsync(0, follow: true, gone.Token).ConfigureAwait(false))
            {
                foreach (var line in batch)
                {
                    if (!request.Stdout) continue;
                    var frame = new byte[line.Bytes.Length + 1];
                    frame[0] = StdoutChannel;
                    line.Bytes.CopyTo(frame, 1);
                    await socket.SendAsync(frame, WebSocketMessageType.Binary, true, gone.Token).ConfigureAwait(false);
                }
            }
            await ExecSession.SendStatusAndCloseAsync(socket, StatusResponses.ExecResult(0), gone.Token).ConfigureAwait(false);
            await receiving.WaitAsync(TimeSpan.FromSeconds(5), gone.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or TimeoutException)
        {
            // The client detached or went away.
        }
    }

    private static async Task DrainAsync(WebSocket socket, CancellationTokenSource gone)
    {
        var buffer = new byte[4096];
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var result = await socket.ReceiveAsync(buffer, gone.Token).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close) break;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // Gone.
        }
        await gone.CancelAsync().ConfigureAwait(false);
    }

    private static StatusResponses.Error? Validate(HttpContext http, PodState? pod, string podName, ExecRequest request, out string container, out string protocol)
    {
        container = "";
        protocol = "";
        if (pod is null) return StatusResponses.PodNotFound(podName);
        if (pod.ResolveContainer(request.Container, out container) is { } invalid) return invalid;
        if (pod.Current(container) is not { IsRunning: true }) return StatusResponses.BadRequest($"container {container} is not running in pod {podName}");
        if (request.Stdin)
        {
            return StatusResponses.BadRequest($"Unable to attach stdin: container {container} in pod {podName} was not started with stdin (the simulated runtime does not keep a container's stdin open)");
        }
        if (!http.WebSockets.IsWebSocketRequest)
        {
            return StatusResponses.BadRequest("Upgrade request required: this simulated cluster serves attach over WebSocket only (v5.channel.k8s.io, v4.channel.k8s.io)");
        }
        protocol = http.WebSockets.WebSocketRequestedProtocols.FirstOrDefault(p => ExecEndpoint.Protocols.Contains(p)) ?? "";
        return protocol.Length == 0 ? StatusResponses.BadRequest($"none of the requested subprotocols is served; use one of: {string.Join(", ", ExecEndpoint.Protocols)}") : null;
    }
}

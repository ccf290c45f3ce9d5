using System.Net;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;

namespace KubeRunbooks.Simulator.Runtime.PortForward;

/// <summary>
/// pods/NAME/portforward (<c>kubectl port-forward</c>): kubectl 1.30+ asks for a WebSocket whose subprotocol
/// <c>SPDY/3.1+portforward.k8s.io</c> tunnels the SPDY connection the kubelet speaks (KEP-4006); every
/// forwarded connection reaches the pod's port at the pod's own address. Plain SPDY upgrades (kubectl's fallback,
/// or <c>KUBECTL_PORT_FORWARD_WEBSOCKETS=false</c>) are refused with a Status that says so.
/// </summary>
internal static class PortForwardEndpoint
{
    /// <summary>The one subprotocol served.</summary>
    public const string Protocol = "SPDY/3.1+portforward.k8s.io";

    /// <summary>Serves the request for the pod (null when the runtime does not know it) at <paramref name="address"/>.</summary>
    public static async Task ServeAsync(HttpContext http, PodState? pod, string podName, IPAddress address)
    {
        var error = Validate(http, pod, podName);
        if (error is not null)
        {
            await StatusResponses.WriteAsync(http, error).ConfigureAwait(false);
            return;
        }
        // .NET's WebSocket refuses a subprotocol with '/' (not an RFC 7230 token), so the header is written here
        // and the socket is accepted without one.
        http.Response.Headers.SecWebSocketProtocol = Protocol;
        using var socket = await http.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        await using var tunnel = WebSocketStream.Create(socket, WebSocketMessageType.Binary, ownsWebSocket: false);
        var session = new PortForwardSession(tunnel, pod!.Namespace, podName, pod.Pod.Metadata.Uid ?? "", address);
        await session.RunAsync(http.RequestAborted).ConfigureAwait(false);
        if (socket.State == WebSocketState.Open)
        {
            try { await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).ConfigureAwait(false); }
            catch (WebSocketException) { /* the client is gone already */ }
        }
    }

    private static StatusResponses.Error? Validate(HttpContext http, PodState? pod, string podName)
    {
        if (pod is null) return StatusResponses.PodNotFound(podName);
        if (pod.RunningRuns().Count == 0) return StatusResponses.BadRequest($"pod {podName} is not running");
        if (!http.WebSockets.IsWebSocketRequest)
        {
            return StatusResponses.BadRequest($"Upgrade request required: this simulated cluster serves port-forward over WebSocket only ({Protocol}); unset KUBECTL_PORT_FORWARD_WEBSOCKETS=false");
        }
        return http.WebSockets.WebSocketRequestedProtocols.Contains(Protocol)
            ? null
            : StatusResponses.BadRequest($"none of the requested subprotocols is served; use {Protocol}");
    }
}

using System.Net;
using System.Net.WebSockets;
using k8s;

namespace KubeRunbooks.Kubernetes.Access;

/// <summary>
/// The client's WebSocket builder (exec, attach, port-forward) with the same rule as <see cref="ForbiddenBeforeChangeHandler"/>:
/// the upgrade request never passes through the client's HTTP handlers, so a 403 Forbidden on it would otherwise be a
/// bare "status code '403' when '101' was expected". Before the run's first change it is an
/// <see cref="AccessDeniedException"/> (one line naming the verb and resource, exit 2); after a change it is a
/// <see cref="ForbiddenAfterChangeException"/> (the step fails, exit 1). A connected exec counts as a change: it may run
/// anything in the pod.
/// </summary>
public sealed class ForbiddenUpgradeWebSocketBuilder : WebSocketBuilder
{
    private readonly ForbiddenBeforeChangeHandler _changes;

    /// <summary>Creates the builder that reads and records the run's changes in <paramref name="changes"/>.</summary>
    public ForbiddenUpgradeWebSocketBuilder(ForbiddenBeforeChangeHandler changes)
    {
        _changes = changes ?? throw new ArgumentNullException(nameof(changes));
        // Keeps the upgrade's status code on the socket when it fails.
        Options.CollectHttpResponseDetails = true;
    }

    /// <inheritdoc />
    public override async Task<WebSocket> BuildAndConnectAsync(Uri uri, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var before = !_changes.HasWritten;
        try
        {
            var socket = await base.BuildAndConnectAsync(uri, cancellationToken).ConfigureAwait(false);
            _changes.MarkWritten();
            return socket;
        }
        catch (WebSocketException e) when (WebSocket.HttpStatusCode == HttpStatusCode.Forbidden && RequestRule.Of(HttpMethod.Get, uri) is { } rule)
        {
            if (before) throw new AccessDeniedException(rule);
            throw new ForbiddenAfterChangeException(rule, e);
        }
    }
}

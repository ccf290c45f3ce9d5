using System.Net;

namespace KubeRunbooks.Kubernetes.Access;

/// <summary>
/// Turns a 403 Forbidden that arrives before the client sent its first write into <see cref="AccessDeniedException"/>
/// (one line naming the verb and resource, exit 2): nothing can have changed yet. Once a write was sent (create,
/// update, patch, delete; access reviews do not count), a 403 is left to fail the step as any API error does, so the
/// run reports what state it left.
/// </summary>
public sealed class ForbiddenBeforeChangeHandler : DelegatingHandler
{
    private int _written;

    /// <summary>True once a write request has been sent.</summary>
    public bool HasWritten => Volatile.Read(ref _written) == 1;

    /// <summary>Records a change made outside the HTTP pipeline (a connected exec, which may run anything in the pod).</summary>
    public void MarkWritten() => Interlocked.Exchange(ref _written, 1);

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var before = !HasWritten;
        if (IsWrite(request)) Interlocked.Exchange(ref _written, 1);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (before && response.StatusCode == HttpStatusCode.Forbidden && request.RequestUri is { } uri && RequestRule.Of(request.Method, uri) is { } rule)
        {
            response.Dispose();
            throw new AccessDeniedException(rule);
        }
        return response;
    }

    // A review asks; it changes nothing.
    private static bool IsWrite(HttpRequestMessage request) =>
        request.Method != HttpMethod.Get && request.Method != HttpMethod.Head && request.Method != HttpMethod.Options
        && request.RequestUri?.AbsolutePath.StartsWith("/apis/authorization.k8s.io/", StringComparison.Ordinal) != true;
}

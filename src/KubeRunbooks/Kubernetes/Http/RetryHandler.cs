using System.Net;

namespace KubeRunbooks.Kubernetes.Http;

/// <summary>
/// Retries Kubernetes API requests on 429 (honouring Retry-After), 5xx and dropped connections, with bounded
/// attempts and jittered exponential backoff, logging each retry. Only what is safe is retried: GET, HEAD, PUT,
/// PATCH and DELETE (idempotent for the runbooks' writes); POST only when the server cannot have acted on it
/// (the connection was never made, or a 429 that rejected it before processing).
/// </summary>
public sealed class RetryHandler : DelegatingHandler
{
    private readonly RetryPolicy _policy;
    private readonly Action<string> _log;
    private readonly TimeProvider _time;
    private readonly Func<double> _random;

    /// <summary>Creates the handler.</summary>
    /// <param name="policy">Attempts and delays; <see cref="RetryPolicy.Default"/> when null.</param>
    /// <param name="log">Receives one line per retry (method, path, cause, delay); never headers or bodies.</param>
    /// <param name="time">The clock the delays use.</param>
    /// <param name="random">A source of numbers in [0, 1) for jitter.</param>
    public RetryHandler(RetryPolicy? policy = null, Action<string>? log = null, TimeProvider? time = null, Func<double>? random = null)
    {
        _policy = policy ?? RetryPolicy.Default;
        _log = log ?? (_ => { });
        _time = time ?? TimeProvider.System;
        _random = random ?? Random.Shared.NextDouble;
    }

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            HttpResponseMessage response;
            try
            {
                response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException e) when (attempt < _policy.MaxAttempts && !cancellationToken.IsCancellationRequested && MayRetryAfterError(request.Method, e))
            {
                await WaitAsync(request, attempt, $"connection failed ({Describe(e)})", null, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (attempt >= _policy.MaxAttempts || !MayRetryStatus(request.Method, response.StatusCode))
                return response;

            var retryAfter = RetryAfter(response, _time.GetUtcNow());
            var status = (int)response.StatusCode;
            response.Dispose();
            await WaitAsync(request, attempt, $"HTTP {status}", retryAfter, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>True for the statuses worth retrying: 429 and the 5xx a busy or restarting server answers.</summary>
    public static bool IsRetryableStatus(HttpStatusCode status) =>
        status == HttpStatusCode.TooManyRequests || (int)status is 500 or 502 or 503 or 504;

    /// <summary>True when a request with this method and answer may be sent again.</summary>
    public static bool MayRetryStatus(HttpMethod method, HttpStatusCode status)
    {
        if (!IsRetryableStatus(status)) return false;
        // A 429 is API Priority and Fairness rejecting the request before it ran: even a POST is safe to resend.
        return IsIdempotent(method) || status == HttpStatusCode.TooManyRequests;
    }

    /// <summary>True when a request that failed with this error may be sent again.</summary>
    public static bool MayRetryAfterError(HttpMethod method, HttpRequestException error)
    {
        if (IsIdempotent(method)) return true;
        // A POST is resent only when the connection was never made: the server cannot have created anything.
        return error.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError;
    }

    /// <summary>GET, HEAD, OPTIONS, PUT, PATCH and DELETE.</summary>
    public static bool IsIdempotent(HttpMethod method) =>
        method == HttpMethod.Get || method == HttpMethod.Head || method == HttpMethod.Options
        || method == HttpMethod.Put || method == HttpMethod.Patch || method == HttpMethod.Delete;

    /// <summary>The Retry-After the response asks for (seconds or an HTTP date), or null.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, DateTimeOffset now)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta) return delta;
        if (header?.Date is { } date) return date > now ? date - now : TimeSpan.Zero;
        return null;
    }

    private async Task WaitAsync(HttpRequestMessage request, int attempt, string cause, TimeSpan? retryAfter, CancellationToken cancellationToken)
    {
        var delay = retryAfter is { } asked
            ? (asked > _policy.MaxRetryAfter ? _policy.MaxRetryAfter : asked)
            : _policy.Backoff(attempt, _random());
        // The path only: query strings and headers stay out of the log.
        _log($"Kubernetes API {request.Method} {request.RequestUri?.AbsolutePath}: {cause}; retry {attempt}/{_policy.MaxAttempts - 1} in {delay.TotalSeconds:0.###}s.");
        await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
    }

    private static string Describe(HttpRequestException e) => e.HttpRequestError == HttpRequestError.Unknown ? e.GetType().Name : e.HttpRequestError.ToString();
}

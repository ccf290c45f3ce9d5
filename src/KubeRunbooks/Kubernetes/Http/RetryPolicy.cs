namespace KubeRunbooks.Kubernetes.Http;

/// <summary>How the Kubernetes API calls are retried.</summary>
/// <param name="MaxAttempts">Attempts in total, the first included.</param>
/// <param name="BaseDelay">The first backoff; doubled on each retry.</param>
/// <param name="MaxDelay">The largest backoff.</param>
/// <param name="MaxRetryAfter">The largest Retry-After honoured; a longer one is cut to it.</param>
public sealed record RetryPolicy(int MaxAttempts, TimeSpan BaseDelay, TimeSpan MaxDelay, TimeSpan MaxRetryAfter)
{
    /// <summary>5 attempts, 200 ms doubling up to 10 s, Retry-After up to 60 s.</summary>
    public static RetryPolicy Default { get; } = new(5, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(60));

    /// <summary>
    /// The backoff before retry number <paramref name="retry"/> (1-based): the exponential delay with "equal jitter"
    /// (half fixed, half random) so many clients do not retry in step.
    /// </summary>
    /// <param name="retry">1 for the first retry.</param>
    /// <param name="random01">A random number in [0, 1).</param>
    public TimeSpan Backoff(int retry, double random01)
    {
        var exponential = BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Max(0, retry - 1));
        var capped = Math.Min(exponential, MaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped / 2 + capped / 2 * random01);
    }
}

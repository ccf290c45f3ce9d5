namespace KubeRunbooks.Tests.Support;

/// <summary>
/// The tests' one wait: a condition checked until it holds or a timeout passes, and a failure that names what was
/// waited for and for how long. Never a fixed sleep standing in for a condition.
/// </summary>
public static class Eventually
{
    /// <summary>How long a wait lasts when no timeout is given: containers start slowly on a loaded machine.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(2);

    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    /// <summary>Waits until <paramref name="condition"/> is true; fails the test naming <paramref name="what"/> when it is not in time.</summary>
    /// <param name="condition">Checked at once, then every 50 ms.</param>
    /// <param name="what">What is waited for, as in "until {what}".</param>
    /// <param name="timeout">How long at most (<see cref="DefaultTimeout"/> when null).</param>
    /// <param name="describe">Called once on timeout: the state seen, for the failure message.</param>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null, Func<Task<string>>? describe = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var limit = timeout ?? DefaultTimeout;
        var deadline = DateTime.UtcNow + limit;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                var seen = describe is null ? "" : $" (last seen: {await describe()})";
                Assert.Fail($"timed out after {limit.TotalSeconds:0.#} s waiting until {what}{seen}");
            }

            await Task.Delay(Interval);
        }
    }

    /// <summary>Waits until <paramref name="condition"/> is true (a synchronous check).</summary>
    public static Task UntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return UntilAsync(() => Task.FromResult(condition()), what, timeout);
    }
}

namespace KubeRunbooks.Tests.Reporting;

/// <summary>A clock the test moves by hand, so durations in reports are exact.</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}

namespace KubeRunbooks.Tests.Kubernetes.Support;

/// <summary>A clock that moves only when the test moves it (timers are the system's).</summary>
internal sealed class ManualClock : TimeProvider
{
    public ManualClock(DateTimeOffset start) => Now = start;

    public DateTimeOffset Now { get; set; }

    public override DateTimeOffset GetUtcNow() => Now;
}

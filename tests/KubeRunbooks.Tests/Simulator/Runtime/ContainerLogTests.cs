using System.Text;
using KubeRunbooks.Simulator.Runtime;

namespace KubeRunbooks.Tests.Simulator.Runtime;

/// <summary>The bounded per-container log.</summary>
[TestFixture]
public sealed class ContainerLogTests
{
    [Test]
    public async Task Beyond_its_capacity_the_oldest_lines_are_dropped()
    {
        var log = new ContainerLog(capacityBytes: 100);
        for (var i = 0; i < 50; i++) log.Append(Encoding.ASCII.GetBytes($"line {i:D2}\n"), DateTimeOffset.UtcNow); // 8 bytes each
        log.Complete();

        var text = await ReadAllAsync(log, tailLines: null, follow: false);

        Assert.Multiple(() =>
        {
            Assert.That(Encoding.ASCII.GetByteCount(text), Is.LessThanOrEqualTo(100));
            Assert.That(text, Does.EndWith("line 49\n"));
            Assert.That(text, Does.Not.Contain("line 00"));
        });
    }

    [Test]
    public async Task Tail_larger_than_the_log_gives_everything()
    {
        var log = new ContainerLog(1024);
        log.Append("a\n"u8.ToArray(), DateTimeOffset.UtcNow);
        log.Append("b\n"u8.ToArray(), DateTimeOffset.UtcNow);

        Assert.That(await ReadAllAsync(log, tailLines: 10, follow: false), Is.EqualTo("a\nb\n"));
    }

    [Test]
    public async Task Tail_zero_gives_nothing() =>
        Assert.That(await ReadAllAsync(WithLines("a\n"), tailLines: 0, follow: false), Is.Empty);

    [Test]
    public async Task A_follower_gets_lines_appended_later_and_ends_with_the_log()
    {
        var log = WithLines("a\n");
        var reading = ReadAllAsync(log, tailLines: null, follow: true);

        log.Append("b\n"u8.ToArray(), DateTimeOffset.UtcNow);
        log.Complete();

        Assert.That(await reading.WaitAsync(TimeSpan.FromSeconds(30)), Is.EqualTo("a\nb\n"));
    }

    [Test]
    public void A_follower_stops_when_cancelled()
    {
        var log = WithLines("a\n");
        using var cancel = new CancellationTokenSource();
        var reading = ReadAllAsync(log, null, follow: true, cancel.Token);

        cancel.Cancel();

        Assert.That(async () => await reading, Throws.InstanceOf<OperationCanceledException>());
    }

    private static ContainerLog WithLines(params string[] lines)
    {
        var log = new ContainerLog(1024);
        foreach (var line in lines) log.Append(Encoding.ASCII.GetBytes(line), DateTimeOffset.UtcNow);
        return log;
    }

    private static async Task<string> ReadAllAsync(ContainerLog log, long? tailLines, bool follow, CancellationToken cancel = default)
    {
        var text = new StringBuilder();
        await foreach (var batch in log.ReadAsync(tailLines, follow, cancel))
            foreach (var line in batch) text.Append(Encoding.ASCII.GetString(line.Bytes));
        return text.ToString();
    }
}

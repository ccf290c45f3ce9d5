using System.Net;
using System.Runtime.CompilerServices;
using k8s;
using k8s.Models;
using KubeRunbooks.Kubernetes.Watching;

namespace KubeRunbooks.Tests.Kubernetes.Watching;

[TestFixture]
public class WatchLoopTests
{
    private static V1Pod Pod(string name, string rv) => new() { Metadata = new V1ObjectMeta { Name = name, ResourceVersion = rv } };

    /// <summary>A scripted source: each list and each watch call takes the next script entry.</summary>
    private sealed class ScriptedSource
    {
        public Queue<(IReadOnlyList<V1Pod> Items, string Rv)> Lists { get; } = new();

        public Queue<Func<Action<Exception>, IAsyncEnumerable<(WatchEventType, V1Pod)>>> Watches { get; } = new();

        public List<string> Calls { get; } = [];

        public WatchSource<V1Pod> Source => new(
            _ =>
            {
                var (items, rv) = Lists.Dequeue();
                Calls.Add($"list->{rv}");
                return Task.FromResult((items, (string?)rv));
            },
            (rv, seconds, onError, ct) =>
            {
                Calls.Add($"watch@{rv} t={seconds}");
                return Watches.Count > 0 ? Watches.Dequeue()(onError) : Never(ct);
            });
    }

    private static async IAsyncEnumerable<(WatchEventType, V1Pod)> Events(params (WatchEventType, V1Pod)[] events)
    {
        foreach (var e in events)
        {
            await Task.Yield();
            yield return e;
        }
    }

    private static async IAsyncEnumerable<(WatchEventType, V1Pod)> Throwing(Exception error)
    {
        await Task.Yield();
        throw error;
#pragma warning disable CS0162 // the iterator needs a yield to be one
        yield break;
#pragma warning restore CS0162
    }

    private static async IAsyncEnumerable<(WatchEventType, V1Pod)> Never([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Delay(Timeout.Infinite, cancellationToken);
        yield break;
    }

    private static async IAsyncEnumerable<(WatchEventType, V1Pod)> ExpiredVia(Action<Exception> onError)
    {
        await Task.Yield();
        onError(new KubernetesException(new V1Status { Code = 410, Reason = "Expired" }));
        yield break;
    }

    [Test]
    public async Task Done_from_the_list_makes_no_watch()
    {
        var s = new ScriptedSource();
        s.Lists.Enqueue(([], "10"));
        await new WatchLoop<V1Pod>(s.Source).WaitAsync(p => p.Count == 0, "no pods", TimeSpan.FromSeconds(30));
        Assert.That(s.Calls, Is.EqualTo(new[] { "list->10" }));
    }

    [Test]
    public async Task Applies_events_until_the_condition_holds_and_watches_from_the_list_version()
    {
        var s = new ScriptedSource();
        s.Lists.Enqueue(([Pod("a", "10"), Pod("b", "10")], "10"));
        s.Watches.Enqueue(_ => Events((WatchEventType.Deleted, Pod("a", "11")), (WatchEventType.Modified, Pod("b", "12")), (WatchEventType.Deleted, Pod("b", "13"))));
        var result = await new WatchLoop<V1Pod>(s.Source) { WatchTimeoutSeconds = 30 }.WaitAsync(p => p.Count == 0, "no pods", TimeSpan.FromSeconds(30));
        Assert.That(result, Is.Empty);
        Assert.That(s.Calls, Is.EqualTo(new[] { "list->10", "watch@10 t=30" }));
    }

    [Test]
    public async Task A_watch_that_ends_is_resumed_from_the_last_version_seen()
    {
        var s = new ScriptedSource();
        s.Lists.Enqueue(([Pod("a", "10")], "10"));
        s.Watches.Enqueue(_ => Events((WatchEventType.Modified, Pod("a", "15"))));
        s.Watches.Enqueue(_ => Events((WatchEventType.Deleted, Pod("a", "16"))));
        await new WatchLoop<V1Pod>(s.Source).WaitAsync(p => p.Count == 0, "no pods", TimeSpan.FromSeconds(30));
        Assert.That(s.Calls, Is.EqualTo(new[] { "list->10", "watch@10 t=60", "watch@15 t=60" }));
    }

    [Test]
    public async Task EndOfStream_from_an_empty_watch_is_a_normal_end()
    {
        var s = new ScriptedSource();
        s.Lists.Enqueue(([Pod("a", "10")], "10"));
        s.Watches.Enqueue(_ => Throwing(new HttpRequestException("ended", new EndOfStreamException())));
        s.Watches.Enqueue(_ => Events((WatchEventType.Deleted, Pod("a", "11"))));
        await new WatchLoop<V1Pod>(s.Source).WaitAsync(p => p.Count == 0, "no pods", TimeSpan.FromSeconds(30));
        Assert.That(s.Calls, Is.EqualTo(new[] { "list->10", "watch@10 t=60", "watch@10 t=60" }));
    }

    [Test]
    public async Task A_410_reported_on_the_stream_relists()
    {
        var s = new ScriptedSource();
        s.Lists.Enqueue(([Pod("a", "10")], "10"));
        s.Lists.Enqueue(([Pod("a", "50")], "50"));
        s.Watches.Enqueue(ExpiredVia);
        s.Watches.Enqueue(_ => Events((WatchEventType.Deleted, Pod("a", "51"))));
        await new WatchLoop<V1Pod>(s.Source).WaitAsync(p => p.Count == 0, "no pods", TimeSpan.FromSeconds(30));
        Assert.That(s.Calls, Is.EqualTo(new[] { "list->10", "watch@10 t=60", "list->50", "watch@50 t=60" }));
    }

    [Test]
    public async Task A_410_response_relists()
    {
        var s = new ScriptedSource();
        s.Lists.Enqueue(([Pod("a", "10")], "10"));
        s.Lists.Enqueue(([], "60"));
        var gone = new k8s.Autorest.HttpOperationException("gone") { Response = new k8s.Autorest.HttpResponseMessageWrapper(new HttpResponseMessage(HttpStatusCode.Gone), "") };
        s.Watches.Enqueue(_ => Throwing(gone));
        await new WatchLoop<V1Pod>(s.Source).WaitAsync(p => p.Count == 0, "no pods", TimeSpan.FromSeconds(30));
        Assert.That(s.Calls, Is.EqualTo(new[] { "list->10", "watch@10 t=60", "list->60" }));
    }

    [Test]
    public void Another_stream_error_is_raised()
    {
        var s = new ScriptedSource();
        s.Lists.Enqueue(([Pod("a", "10")], "10"));
        s.Watches.Enqueue(onError => ErrorVia(onError, new KubernetesException(new V1Status { Code = 403, Message = "forbidden" })));
        Assert.ThrowsAsync<KubernetesException>(() => new WatchLoop<V1Pod>(s.Source).WaitAsync(p => p.Count == 0, "no pods", TimeSpan.FromSeconds(30)));
    }

    private static async IAsyncEnumerable<(WatchEventType, V1Pod)> ErrorVia(Action<Exception> onError, Exception e)
    {
        await Task.Yield();
        onError(e);
        yield break;
    }

    [Test]
    public void Timeout_names_what_was_awaited_and_the_last_state()
    {
        var s = new ScriptedSource();
        s.Lists.Enqueue(([Pod("vantiq-0", "10")], "10"));
        var e = Assert.ThrowsAsync<WaitTimeoutException>(() => new WatchLoop<V1Pod>(s.Source).WaitAsync(
            p => p.Count == 0, "statefulset vantiq/vantiq to have no pods", TimeSpan.FromMilliseconds(100), p => $"{p.Count} pods: {string.Join(",", p.Keys)}"));
        Assert.That(e!.Message, Is.EqualTo("Timed out after 0s waiting for statefulset vantiq/vantiq to have no pods (last seen: 1 pods: vantiq-0)."));
    }

    [Test]
    public void Cancellation_by_the_caller_is_not_a_timeout()
    {
        var s = new ScriptedSource();
        s.Lists.Enqueue(([Pod("a", "10")], "10"));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        Assert.That(async () => await new WatchLoop<V1Pod>(s.Source).WaitAsync(p => p.Count == 0, "x", TimeSpan.FromMinutes(5), cancellationToken: cts.Token),
            Throws.InstanceOf<OperationCanceledException>());
    }

    [TestCase(5, "5s")]
    [TestCase(300, "5m")]
    [TestCase(330, "5m30s")]
    [TestCase(5400, "90m")]
    [TestCase(9000, "2h30m")]
    public void Formats_durations_for_messages(int seconds, string expected)
    {
        Assert.That(WatchLoop<V1Pod>.Format(TimeSpan.FromSeconds(seconds)), Is.EqualTo(expected));
    }
}

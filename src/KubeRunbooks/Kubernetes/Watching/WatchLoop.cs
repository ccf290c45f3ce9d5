using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace KubeRunbooks.Kubernetes.Watching;

/// <summary>
/// Waits by WATCH (never by polling) until a condition holds over the set of watched objects.
/// Follows the client's known behaviour: a 410 Expired re-lists and watches again from the new
/// list; a watch that ends (server timeout, silent stop, EndOfStream with no event) is resumed
/// from the last resourceVersion seen; every watch asks the server to end it after
/// <see cref="WatchTimeoutSeconds"/> so a silently dead stream cannot hang the run.
/// </summary>
/// <typeparam name="T">The watched object type.</typeparam>
public sealed class WatchLoop<T> where T : IKubernetesObject<V1ObjectMeta>
{
    private readonly WatchSource<T> _source;

    /// <summary>Creates a loop over the given list and watch calls.</summary>
    /// <param name="source">The bound list and watch calls.</param>
    public WatchLoop(WatchSource<T> source) => _source = source;

    /// <summary>The timeoutSeconds passed to each watch request.</summary>
    public int WatchTimeoutSeconds { get; init; } = 60;

    /// <summary>
    /// Lists, then watches, re-evaluating <paramref name="isDone"/> over every object currently present after
    /// the list and after each event, until it returns true.
    /// </summary>
    /// <param name="isDone">The condition over the objects present now (keyed by name).</param>
    /// <param name="what">What is awaited, for the timeout message (for example "statefulset vantiq/vantiq to have 0 pods").</param>
    /// <param name="timeout">How long to wait in total.</param>
    /// <param name="describe">Describes the current state for the timeout message; optional.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The objects present when the condition first held.</returns>
    public async Task<IReadOnlyDictionary<string, T>> WaitAsync(
        Func<IReadOnlyDictionary<string, T>, bool> isDone,
        string what,
        TimeSpan timeout,
        Func<IReadOnlyDictionary<string, T>, string>? describe = null,
        CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var token = deadline.Token;
        var objects = new Dictionary<string, T>(StringComparer.Ordinal);
        try
        {
            while (true)
            {
                var (items, resourceVersion) = await _source.List(token).ConfigureAwait(false);
                objects.Clear();
                foreach (var item in items) objects[item.Metadata.Name] = item;
                if (isDone(objects)) return objects;

                var expired = false;
                var emptyEnds = 0;
                while (!expired)
                {
                    Exception? streamError = null;
                    var events = 0;
                    try
                    {
                        await foreach (var (type, obj) in _source.Watch(resourceVersion, WatchTimeoutSeconds, e => streamError ??= e, token).ConfigureAwait(false))
                        {
                            events++;
                            if (obj?.Metadata is null) continue;
                            if (!string.IsNullOrEmpty(obj.Metadata.ResourceVersion)) resourceVersion = obj.Metadata.ResourceVersion;
                            switch (type)
                            {
                                case WatchEventType.Added:
                                case WatchEventType.Modified:
                                    objects[obj.Metadata.Name] = obj;
                                    break;
                                case WatchEventType.Deleted:
                                    objects.Remove(obj.Metadata.Name);
                                    break;
                                default:
                                    continue; // bookmarks only move the resourceVersion
                            }
                            if (isDone(objects)) return objects;
                        }
                    }
                    catch (Exception e) when (IsNormalEnd(e) && !token.IsCancellationRequested)
                    {
                        // client issue #893: a watch that ends without an event throws; it is a normal end.
                    }
                    catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.Gone)
                    {
                        expired = true;
                    }
                    if (streamError is not null && IsExpired(streamError)) expired = true;
                    else if (streamError is not null && !IsNormalEnd(streamError)) throw streamError;
                    token.ThrowIfCancellationRequested();
                    // A server that ends watches at once without events would make this loop spin: back off a little.
                    emptyEnds = events == 0 && !expired ? emptyEnds + 1 : 0;
                    if (emptyEnds > 1) await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(50 * emptyEnds, 1000)), token).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            var state = describe is null ? "" : $" (last seen: {describe(objects)})";
            throw new WaitTimeoutException($"Timed out after {Format(timeout)} waiting for {what}{state}.");
        }
    }

    private static bool IsNormalEnd(Exception e) =>
        e is EndOfStreamException || e.InnerException is EndOfStreamException
        || (e is HttpRequestException && e.InnerException is IOException);

    private static bool IsExpired(Exception e) =>
        (e is KubernetesException k && k.Status?.Code == (int)HttpStatusCode.Gone)
        || (e is HttpOperationException h && h.Response?.StatusCode == HttpStatusCode.Gone);

    /// <summary>Formats a timeout the way messages show it (90s, 5m, 1h30m).</summary>
    /// <param name="span">The duration.</param>
    /// <returns>A short text.</returns>
    public static string Format(TimeSpan span)
    {
        if (span.TotalSeconds < 120) return $"{(int)Math.Round(span.TotalSeconds)}s";
        if (span.TotalMinutes < 120) return span.Seconds == 0 ? $"{(int)span.TotalMinutes}m" : $"{(int)span.TotalMinutes}m{span.Seconds}s";
        return $"{(int)span.TotalHours}h{span.Minutes}m";
    }
}

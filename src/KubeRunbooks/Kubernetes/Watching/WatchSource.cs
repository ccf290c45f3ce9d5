using k8s;

namespace KubeRunbooks.Kubernetes.Watching;

/// <summary>
/// How to list and watch one kind of object: the two client calls a <see cref="WatchLoop{T}"/> needs,
/// already bound to a namespace and selectors.
/// </summary>
/// <typeparam name="T">The object type.</typeparam>
/// <param name="List">Lists the current objects and returns them with the list's resourceVersion.</param>
/// <param name="Watch">Watches from a resourceVersion for at most the given seconds, reporting stream errors to the callback.</param>
public sealed record WatchSource<T>(
    Func<CancellationToken, Task<(IReadOnlyList<T> Items, string? ResourceVersion)>> List,
    Func<string?, int, Action<Exception>, CancellationToken, IAsyncEnumerable<(WatchEventType Type, T Object)>> Watch);

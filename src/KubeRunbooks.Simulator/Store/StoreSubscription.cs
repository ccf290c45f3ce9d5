using System.Threading.Channels;

namespace KubeRunbooks.Simulator.Store;

/// <summary>
/// A watch on the store: the events after the starting point, in order, until disposed.
/// Delivery never blocks the store (the channel is unbounded).
/// </summary>
public sealed class StoreSubscription : IDisposable
{
    private readonly Action<StoreSubscription> _onDispose;
    private readonly Channel<StoreEvent> _channel = Channel.CreateUnbounded<StoreEvent>(new UnboundedChannelOptions { SingleReader = true });
    private int _disposed;

    internal StoreSubscription(Func<StoreEvent, bool> filter, Action<StoreSubscription> onDispose)
    {
        Filter = filter;
        _onDispose = onDispose;
    }

    internal Func<StoreEvent, bool> Filter { get; }

    /// <summary>The events, in resourceVersion order.</summary>
    public ChannelReader<StoreEvent> Events => _channel.Reader;

    internal void Offer(StoreEvent e)
    {
        if (Filter(e)) _channel.Writer.TryWrite(e);
    }

    /// <summary>Stops the subscription; the reader completes.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _channel.Writer.TryComplete();
        _onDispose(this);
    }
}

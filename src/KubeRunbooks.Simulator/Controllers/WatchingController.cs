using System.Threading.Channels;
using KubeRunbooks.Simulator.Server;
using KubeRunbooks.Simulator.Store;

namespace KubeRunbooks.Simulator.Controllers;

/// <summary>
/// A controller driven by the store's in-process watch: every change of the kinds it follows is
/// handed, in resourceVersion order and one at a time, to <see cref="HandleAsync"/>. Reacting to
/// events (never polling) keeps the simulated cluster as event-driven as a real one.
/// </summary>
public abstract class WatchingController : IController
{
    private readonly List<StoreSubscription> _subscriptions = new();
    private readonly Channel<StoreEvent> _again = Channel.CreateUnbounded<StoreEvent>();
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private Task _loop = Task.CompletedTask;
    private CancellationTokenSource? _stopping;

    /// <inheritdoc />
    public abstract string Name { get; }

    /// <summary>The context given at start.</summary>
    protected ControllerContext Context { get; private set; } = null!;

    /// <summary>The store.</summary>
    protected ObjectStore Store => Context.Store;

    /// <summary>Cancelled when the controller stops.</summary>
    protected CancellationToken Stopping => _stopping?.Token ?? CancellationToken.None;

    /// <summary>The kinds whose changes this controller follows.</summary>
    protected abstract IReadOnlyList<ResourceKind> Watched { get; }

    /// <inheritdoc />
    public Task StartAsync(ControllerContext context, CancellationToken stopping)
    {
        Context = context;
        _stopping = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        // One subscription for every kind: events of all followed kinds arrive in one global order.
        var watched = Watched.ToHashSet();
        var subscription = context.Store.Watch(null, filter: null);
        _subscriptions.Add(subscription);
        _loop = Task.WhenAll(Task.Run(() => RunAsync(subscription.Events, watched)), Task.Run(() => RunAsync(_again.Reader, watched)));
        return Task.CompletedTask;
    }

    /// <summary>Handles one change of a followed kind.</summary>
    protected abstract Task HandleAsync(StoreEvent change);

    /// <summary>
    /// Hands <paramref name="change"/> to <see cref="HandleAsync"/> again once <paramref name="after"/> has completed:
    /// for a state the store does not show (a deleted pod's containers still stopping), so no store event would come.
    /// </summary>
    protected void HandleAgainAfter(Task after, StoreEvent change) =>
        _ = after.ContinueWith(_ => _again.Writer.TryWrite(change), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);

    private async Task RunAsync(ChannelReader<StoreEvent> events, HashSet<ResourceKind> watched)
    {
        try
        {
            await foreach (var change in events.ReadAllAsync(Stopping))
            {
                if (!watched.Contains(change.Kind)) continue;
                await _oneAtATime.WaitAsync(Stopping);
                try
                {
                    await HandleAsync(change);
                }
                catch (ApiError)
                {
                    // A conflict or a vanished object: a later event brings the current state.
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A bug must not stop the controller; it is shown on the host's error output.
                    await Console.Error.WriteLineAsync($"simulator {Name} controller: {e.GetType().Name}: {e.Message}");
                }
                finally
                {
                    _oneAtATime.Release();
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    /// <inheritdoc />
    public virtual async ValueTask DisposeAsync()
    {
        if (_stopping != null) await _stopping.CancelAsync();
        foreach (var subscription in _subscriptions) subscription.Dispose();
        try { await _loop; }
        catch (OperationCanceledException) { /* stopped */ }
        _stopping?.Dispose();
        _oneAtATime.Dispose();
        GC.SuppressFinalize(this);
    }
}

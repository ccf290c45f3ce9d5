using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace KubeRunbooks.Simulator.Runtime;

/// <summary>
/// One thread that lives as long as the process and forks every container and exec process. bwrap's
/// <c>--die-with-parent</c> (<c>PR_SET_PDEATHSIG</c>) fires when the <em>thread</em> that forked it ends, and a
/// thread-pool thread retires when idle: a container forked from one was SIGKILLed minutes later, with every exec in it
/// (exit 137).
/// </summary>
internal static class LaunchThread
{
    private static readonly BlockingCollection<Action> Work = new();
    private static readonly Thread Thread = StartThread();

    /// <summary>Runs <paramref name="start"/> on the launch thread and returns its result (or throws its exception).</summary>
    public static T Run<T>(Func<T> start)
    {
        if (System.Threading.Thread.CurrentThread == Thread) return start();
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        using var done = new ManualResetEventSlim();
        Work.Add(() =>
        {
            try { result = start(); }
            catch (Exception e) { failure = ExceptionDispatchInfo.Capture(e); }
            finally { done.Set(); }
        });
        done.Wait();
        failure?.Throw();
        return result;
    }

    private static Thread StartThread()
    {
        var thread = new Thread(() =>
        {
            foreach (var work in Work.GetConsumingEnumerable()) work();
        })
        { IsBackground = true, Name = "simulator process launcher" };
        thread.Start();
        return thread;
    }
}

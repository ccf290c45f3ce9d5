using Cake.Core;

namespace Cake.Frosting;

/// <summary>An asynchronous task for the context type <typeparamref name="T"/>.</summary>
public abstract class AsyncFrostingTask<T> : IFrostingTask where T : ICakeContext
{
    /// <summary>The task body.</summary>
    public virtual Task RunAsync(T context) => Task.CompletedTask;

    /// <summary>The task's criteria; true unless overridden.</summary>
    public virtual bool ShouldRun(T context) => true;

    /// <summary>
    /// Called when the task failed. As in Cake, overriding it handles the error: the run goes on
    /// unless this method throws (rethrow to fail the run after cleaning up).
    /// </summary>
    public virtual void OnError(Exception exception, T context) { }

    /// <summary>Called after the task, whether it failed or not.</summary>
    public virtual void Finally(T context) { }

    Task IFrostingTask.RunAsync(ICakeContext context) => RunAsync((T)context);

    bool IFrostingTask.ShouldRun(ICakeContext context) => ShouldRun((T)context);

    void IFrostingTask.OnError(Exception exception, ICakeContext context) => OnError(exception, (T)context);

    void IFrostingTask.Finally(ICakeContext context) => Finally((T)context);
}

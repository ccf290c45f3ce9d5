using Cake.Core;

namespace Cake.Frosting;

/// <summary>A task discovered by the host and registered into Cake's engine.</summary>
public interface IFrostingTask
{
    /// <summary>The message Cake prints when <see cref="ShouldRun"/> returns false.</summary>
    string SkippedMessage => string.Empty;

    /// <summary>Runs the task.</summary>
    Task RunAsync(ICakeContext context);

    /// <summary>Whether the task should run (its criteria).</summary>
    bool ShouldRun(ICakeContext context);

    /// <summary>Called when the task failed (registered only when overridden; as in Cake, the error is then handled unless this throws).</summary>
    void OnError(Exception exception, ICakeContext context);

    /// <summary>Called after the task, whether it failed or not.</summary>
    void Finally(ICakeContext context);
}

/// <summary>A synchronous task for the context type <typeparamref name="T"/>.</summary>
public abstract class FrostingTask<T> : IFrostingTask where T : ICakeContext
{
    /// <summary>The task body.</summary>
    public virtual void Run(T context) { }

    /// <summary>The task's criteria; true unless overridden.</summary>
    public virtual bool ShouldRun(T context) => true;

    /// <summary>
    /// Called when the task failed. As in Cake, overriding it handles the error: the run goes on
    /// unless this method throws (rethrow to fail the run after cleaning up).
    /// </summary>
    public virtual void OnError(Exception exception, T context) { }

    /// <summary>Called after the task, whether it failed or not.</summary>
    public virtual void Finally(T context) { }

    Task IFrostingTask.RunAsync(ICakeContext context)
    {
        Run((T)context);
        return Task.CompletedTask;
    }

    bool IFrostingTask.ShouldRun(ICakeContext context) => ShouldRun((T)context);

    void IFrostingTask.OnError(Exception exception, ICakeContext context) => OnError(exception, (T)context);

    void IFrostingTask.Finally(ICakeContext context) => Finally((T)context);
}

/// <summary>A synchronous task for any context.</summary>
public abstract class FrostingTask : FrostingTask<ICakeContext>
{
}

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

/// <summary>An asynchronous task for any context.</summary>
public abstract class AsyncFrostingTask : AsyncFrostingTask<ICakeContext>
{
}

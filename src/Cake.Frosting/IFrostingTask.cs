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

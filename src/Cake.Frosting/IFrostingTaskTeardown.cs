using Cake.Core;

namespace Cake.Frosting;

/// <summary>Runs after each task.</summary>
public interface IFrostingTaskTeardown
{
    /// <summary>Called by Cake's engine after each task.</summary>
    void Teardown(ICakeContext context, ITaskTeardownContext info);
}

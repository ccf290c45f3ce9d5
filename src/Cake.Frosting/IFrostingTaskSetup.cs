using Cake.Core;

namespace Cake.Frosting;

/// <summary>Runs before each task.</summary>
public interface IFrostingTaskSetup
{
    /// <summary>Called by Cake's engine before each task.</summary>
    void Setup(ICakeContext context, ITaskSetupContext info);
}

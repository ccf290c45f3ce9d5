using Cake.Core;

namespace Cake.Frosting;

/// <summary>Runs once after the last task, also after a failure.</summary>
public interface IFrostingTeardown
{
    /// <summary>Called by Cake's engine after the last task.</summary>
    void Teardown(ICakeContext context, ITeardownContext info);
}

using Cake.Core;

namespace Cake.Frosting;

/// <summary>Runs once before the first task.</summary>
public interface IFrostingSetup
{
    /// <summary>Called by Cake's engine before the first task.</summary>
    void Setup(ICakeContext context, ISetupContext info);
}

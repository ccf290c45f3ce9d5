using Cake.Core;

namespace Cake.Frosting;

/// <summary>Setup for any context.</summary>
public abstract class FrostingSetup : FrostingSetup<ICakeContext>
{
}

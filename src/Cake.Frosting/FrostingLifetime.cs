using Cake.Core;

namespace Cake.Frosting;

/// <summary>Setup and teardown for any context.</summary>
public abstract class FrostingLifetime : FrostingLifetime<ICakeContext>
{
}

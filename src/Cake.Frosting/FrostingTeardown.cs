using Cake.Core;

namespace Cake.Frosting;

/// <summary>Teardown for any context.</summary>
public abstract class FrostingTeardown : FrostingTeardown<ICakeContext>
{
}

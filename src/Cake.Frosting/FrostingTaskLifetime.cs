using Cake.Core;

namespace Cake.Frosting;

/// <summary>Task setup and teardown for any context.</summary>
public abstract class FrostingTaskLifetime : FrostingTaskLifetime<ICakeContext>
{
}

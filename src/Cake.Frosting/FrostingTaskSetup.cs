using Cake.Core;

namespace Cake.Frosting;

/// <summary>Task setup for any context.</summary>
public abstract class FrostingTaskSetup : FrostingTaskSetup<ICakeContext>
{
}

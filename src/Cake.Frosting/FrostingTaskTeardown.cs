using Cake.Core;

namespace Cake.Frosting;

/// <summary>Task teardown for any context.</summary>
public abstract class FrostingTaskTeardown : FrostingTaskTeardown<ICakeContext>
{
}

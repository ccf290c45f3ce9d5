using Cake.Core;

namespace Cake.Frosting;

/// <summary>A synchronous task for any context.</summary>
public abstract class FrostingTask : FrostingTask<ICakeContext>
{
}

using Cake.Core;

namespace Cake.Frosting;

/// <summary>An asynchronous task for any context.</summary>
public abstract class AsyncFrostingTask : AsyncFrostingTask<ICakeContext>
{
}

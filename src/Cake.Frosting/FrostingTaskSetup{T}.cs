using Cake.Core;

namespace Cake.Frosting;

/// <summary>Task setup for the context type <typeparamref name="TContext"/>.</summary>
public abstract class FrostingTaskSetup<TContext> : IFrostingTaskSetup where TContext : ICakeContext
{
    /// <summary>Called before each task.</summary>
    public abstract void Setup(TContext context, ITaskSetupContext info);

    void IFrostingTaskSetup.Setup(ICakeContext context, ITaskSetupContext info) => Setup((TContext)context, info);
}

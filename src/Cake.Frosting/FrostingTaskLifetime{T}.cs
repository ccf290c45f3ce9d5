using Cake.Core;

namespace Cake.Frosting;

/// <summary>Task setup and teardown for the context type <typeparamref name="TContext"/>.</summary>
public abstract class FrostingTaskLifetime<TContext> : IFrostingTaskLifetime where TContext : ICakeContext
{
    /// <summary>Called before each task.</summary>
    public abstract void Setup(TContext context, ITaskSetupContext info);

    /// <summary>Called after each task.</summary>
    public abstract void Teardown(TContext context, ITaskTeardownContext info);

    void IFrostingTaskSetup.Setup(ICakeContext context, ITaskSetupContext info) => Setup((TContext)context, info);

    void IFrostingTaskTeardown.Teardown(ICakeContext context, ITaskTeardownContext info) => Teardown((TContext)context, info);
}

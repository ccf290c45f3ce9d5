using Cake.Core;

namespace Cake.Frosting;

/// <summary>Task teardown for the context type <typeparamref name="TContext"/>.</summary>
public abstract class FrostingTaskTeardown<TContext> : IFrostingTaskTeardown where TContext : ICakeContext
{
    /// <summary>Called after each task.</summary>
    public abstract void Teardown(TContext context, ITaskTeardownContext info);

    void IFrostingTaskTeardown.Teardown(ICakeContext context, ITaskTeardownContext info) => Teardown((TContext)context, info);
}

using Cake.Core;

namespace Cake.Frosting;

/// <summary>Teardown for the context type <typeparamref name="TContext"/>.</summary>
public abstract class FrostingTeardown<TContext> : IFrostingTeardown where TContext : ICakeContext
{
    /// <summary>Called after the last task.</summary>
    public abstract void Teardown(TContext context, ITeardownContext info);

    void IFrostingTeardown.Teardown(ICakeContext context, ITeardownContext info) => Teardown((TContext)context, info);
}

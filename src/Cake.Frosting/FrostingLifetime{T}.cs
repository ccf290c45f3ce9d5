using Cake.Core;

namespace Cake.Frosting;

/// <summary>Setup and teardown for the context type <typeparamref name="TContext"/>.</summary>
public abstract class FrostingLifetime<TContext> : IFrostingLifetime where TContext : ICakeContext
{
    /// <summary>Called before the first task.</summary>
    public abstract void Setup(TContext context, ISetupContext info);

    /// <summary>Called after the last task.</summary>
    public abstract void Teardown(TContext context, ITeardownContext info);

    void IFrostingSetup.Setup(ICakeContext context, ISetupContext info) => Setup((TContext)context, info);

    void IFrostingTeardown.Teardown(ICakeContext context, ITeardownContext info) => Teardown((TContext)context, info);
}

using Cake.Core;

namespace Cake.Frosting;

/// <summary>Setup for the context type <typeparamref name="TContext"/>.</summary>
public abstract class FrostingSetup<TContext> : IFrostingSetup where TContext : ICakeContext
{
    /// <summary>Called before the first task.</summary>
    public abstract void Setup(TContext context, ISetupContext info);

    void IFrostingSetup.Setup(ICakeContext context, ISetupContext info) => Setup((TContext)context, info);
}

using Cake.Core;

namespace Cake.Frosting;

/// <summary>Runs once before the first task.</summary>
public interface IFrostingSetup
{
    /// <summary>Called by Cake's engine before the first task.</summary>
    void Setup(ICakeContext context, ISetupContext info);
}

/// <summary>Runs once after the last task, also after a failure.</summary>
public interface IFrostingTeardown
{
    /// <summary>Called by Cake's engine after the last task.</summary>
    void Teardown(ICakeContext context, ITeardownContext info);
}

/// <summary>Both <see cref="IFrostingSetup"/> and <see cref="IFrostingTeardown"/>.</summary>
public interface IFrostingLifetime : IFrostingSetup, IFrostingTeardown
{
}

/// <summary>Runs before each task.</summary>
public interface IFrostingTaskSetup
{
    /// <summary>Called by Cake's engine before each task.</summary>
    void Setup(ICakeContext context, ITaskSetupContext info);
}

/// <summary>Runs after each task.</summary>
public interface IFrostingTaskTeardown
{
    /// <summary>Called by Cake's engine after each task.</summary>
    void Teardown(ICakeContext context, ITaskTeardownContext info);
}

/// <summary>Both <see cref="IFrostingTaskSetup"/> and <see cref="IFrostingTaskTeardown"/>.</summary>
public interface IFrostingTaskLifetime : IFrostingTaskSetup, IFrostingTaskTeardown
{
}

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

/// <summary>Setup and teardown for any context.</summary>
public abstract class FrostingLifetime : FrostingLifetime<ICakeContext>
{
}

/// <summary>Setup for the context type <typeparamref name="TContext"/>.</summary>
public abstract class FrostingSetup<TContext> : IFrostingSetup where TContext : ICakeContext
{
    /// <summary>Called before the first task.</summary>
    public abstract void Setup(TContext context, ISetupContext info);

    void IFrostingSetup.Setup(ICakeContext context, ISetupContext info) => Setup((TContext)context, info);
}

/// <summary>Setup for any context.</summary>
public abstract class FrostingSetup : FrostingSetup<ICakeContext>
{
}

/// <summary>Teardown for the context type <typeparamref name="TContext"/>.</summary>
public abstract class FrostingTeardown<TContext> : IFrostingTeardown where TContext : ICakeContext
{
    /// <summary>Called after the last task.</summary>
    public abstract void Teardown(TContext context, ITeardownContext info);

    void IFrostingTeardown.Teardown(ICakeContext context, ITeardownContext info) => Teardown((TContext)context, info);
}

/// <summary>Teardown for any context.</summary>
public abstract class FrostingTeardown : FrostingTeardown<ICakeContext>
{
}

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

/// <summary>Task setup and teardown for any context.</summary>
public abstract class FrostingTaskLifetime : FrostingTaskLifetime<ICakeContext>
{
}

/// <summary>Task setup for the context type <typeparamref name="TContext"/>.</summary>
public abstract class FrostingTaskSetup<TContext> : IFrostingTaskSetup where TContext : ICakeContext
{
    /// <summary>Called before each task.</summary>
    public abstract void Setup(TContext context, ITaskSetupContext info);

    void IFrostingTaskSetup.Setup(ICakeContext context, ITaskSetupContext info) => Setup((TContext)context, info);
}

/// <summary>Task setup for any context.</summary>
public abstract class FrostingTaskSetup : FrostingTaskSetup<ICakeContext>
{
}

/// <summary>Task teardown for the context type <typeparamref name="TContext"/>.</summary>
public abstract class FrostingTaskTeardown<TContext> : IFrostingTaskTeardown where TContext : ICakeContext
{
    /// <summary>Called after each task.</summary>
    public abstract void Teardown(TContext context, ITaskTeardownContext info);

    void IFrostingTaskTeardown.Teardown(ICakeContext context, ITaskTeardownContext info) => Teardown((TContext)context, info);
}

/// <summary>Task teardown for any context.</summary>
public abstract class FrostingTaskTeardown : FrostingTaskTeardown<ICakeContext>
{
}

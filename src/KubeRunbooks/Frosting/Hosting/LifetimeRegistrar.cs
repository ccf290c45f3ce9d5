using Cake.Core;
using Microsoft.Extensions.DependencyInjection;
using Cake.Frosting;

namespace KubeRunbooks.Frosting.Hosting;

/// <summary>Registers the setup / teardown lifetimes found in DI as Cake engine actions.</summary>
internal static class LifetimeRegistrar
{
    /// <summary>
    /// Registers the lifetimes. <paramref name="context"/> is called only when an action runs, so
    /// modes that run nothing (tree, description) never build the run's context.
    /// </summary>
    public static void Register(ICakeEngine engine, IServiceProvider services, Func<ICakeContext> context, RunState state)
    {
        if (services.GetService<IFrostingSetup>() is { } setup)
        {
            engine.RegisterSetupAction(info => Guard(state, () => setup.Setup(context(), info)));
        }

        if (services.GetService<IFrostingTeardown>() is { } teardown)
        {
            engine.RegisterTeardownAction(info => Guard(state, () => teardown.Teardown(context(), info)));
        }

        if (services.GetService<IFrostingTaskSetup>() is { } taskSetup)
        {
            engine.RegisterTaskSetupAction(info => Guard(state, () => taskSetup.Setup(context(), info)));
        }

        if (services.GetService<IFrostingTaskTeardown>() is { } taskTeardown)
        {
            engine.RegisterTaskTeardownAction(info => Guard(state, () => taskTeardown.Teardown(context(), info)));
        }
    }

    private static void Guard(RunState state, Action action)
    {
        try
        {
            action();
        }
        catch (Exception exception)
        {
            state.RecordFailure(null, exception);
            throw;
        }
    }
}

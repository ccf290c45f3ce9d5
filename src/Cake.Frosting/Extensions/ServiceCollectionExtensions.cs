using Cake.Core.Composition;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Cake.Frosting;

/// <summary>
/// Frosting's configuration methods on a host's service collection: the run's context and the lifetimes, registered
/// as the services a Frosting host resolves (<see cref="IFrostingContext"/>, <see cref="IFrostingSetup"/>,
/// <see cref="IFrostingTeardown"/>, <see cref="IFrostingTaskSetup"/>, <see cref="IFrostingTaskTeardown"/>).
/// </summary>
public static class ServiceCollectionExtensions
{
    /// <summary>
    /// The run's context: built through DI (constructor injection, e.g. <c>T(ICakeContext, ...)</c>),
    /// once, and only for a normal run or a dry run.
    /// </summary>
    public static IServiceCollection UseContext<TContext>(this IServiceCollection services)
        where TContext : class, IFrostingContext
    {
        services.RemoveAll<IFrostingContext>();
        services.TryAddSingleton<TContext>();
        services.AddSingleton<IFrostingContext>(provider => provider.GetRequiredService<TContext>());
        return services;
    }

    /// <summary>Setup and teardown around the whole run.</summary>
    public static IServiceCollection UseLifetime<TLifetime>(this IServiceCollection services)
        where TLifetime : class, IFrostingLifetime
    {
        services.TryAddSingleton<TLifetime>();
        services.AddSingleton<IFrostingSetup>(provider => provider.GetRequiredService<TLifetime>());
        services.AddSingleton<IFrostingTeardown>(provider => provider.GetRequiredService<TLifetime>());
        return services;
    }

    /// <summary>Setup before the first task.</summary>
    public static IServiceCollection UseSetup<TSetup>(this IServiceCollection services)
        where TSetup : class, IFrostingSetup
        => services.AddSingleton<IFrostingSetup, TSetup>();

    /// <summary>Teardown after the last task.</summary>
    public static IServiceCollection UseTeardown<TTeardown>(this IServiceCollection services)
        where TTeardown : class, IFrostingTeardown
        => services.AddSingleton<IFrostingTeardown, TTeardown>();

    /// <summary>Setup and teardown around each task.</summary>
    public static IServiceCollection UseTaskLifetime<TLifetime>(this IServiceCollection services)
        where TLifetime : class, IFrostingTaskLifetime
    {
        services.TryAddSingleton<TLifetime>();
        services.AddSingleton<IFrostingTaskSetup>(provider => provider.GetRequiredService<TLifetime>());
        services.AddSingleton<IFrostingTaskTeardown>(provider => provider.GetRequiredService<TLifetime>());
        return services;
    }

    /// <summary>Setup before each task.</summary>
    public static IServiceCollection UseTaskSetup<TSetup>(this IServiceCollection services)
        where TSetup : class, IFrostingTaskSetup
        => services.AddSingleton<IFrostingTaskSetup, TSetup>();

    /// <summary>Teardown after each task.</summary>
    public static IServiceCollection UseTaskTeardown<TTeardown>(this IServiceCollection services)
        where TTeardown : class, IFrostingTaskTeardown
        => services.AddSingleton<IFrostingTaskTeardown, TTeardown>();

    /// <summary>Registers a Cake module's services.</summary>
    public static IServiceCollection UseModule<TModule>(this IServiceCollection services)
        where TModule : ICakeModule, new()
        => Cake.Cli.ServiceCollectionExtensions.UseModule<TModule>(services);
}

using Cake.Core.Composition;
using Cake.Core.IO;
using Microsoft.Extensions.DependencyInjection;

namespace Cake.Frosting;

/// <summary>Frosting's fluent configuration of <see cref="CakeHost"/>; each forwards to <see cref="ServiceCollectionExtensions"/>.</summary>
public static class CakeHostExtensions
{
    /// <summary>Lets <typeparamref name="TStartup"/> configure the services.</summary>
    public static CakeHost UseStartup<TStartup>(this CakeHost host) where TStartup : IFrostingStartup, new()
        => host.ConfigureServices(services => new TStartup().Configure(services));

    /// <summary>The run's context, built through DI only for a normal run or a dry run.</summary>
    public static CakeHost UseContext<TContext>(this CakeHost host) where TContext : class, IFrostingContext
        => host.ConfigureServices(services => services.UseContext<TContext>());

    /// <summary>Setup and teardown around the whole run.</summary>
    public static CakeHost UseLifetime<TLifetime>(this CakeHost host) where TLifetime : class, IFrostingLifetime
        => host.ConfigureServices(services => services.UseLifetime<TLifetime>());

    /// <summary>Setup before the first task.</summary>
    public static CakeHost UseSetup<TSetup>(this CakeHost host) where TSetup : class, IFrostingSetup
        => host.ConfigureServices(services => services.UseSetup<TSetup>());

    /// <summary>Teardown after the last task.</summary>
    public static CakeHost UseTeardown<TTeardown>(this CakeHost host) where TTeardown : class, IFrostingTeardown
        => host.ConfigureServices(services => services.UseTeardown<TTeardown>());

    /// <summary>Setup and teardown around each task.</summary>
    public static CakeHost UseTaskLifetime<TLifetime>(this CakeHost host) where TLifetime : class, IFrostingTaskLifetime
        => host.ConfigureServices(services => services.UseTaskLifetime<TLifetime>());

    /// <summary>Setup before each task.</summary>
    public static CakeHost UseTaskSetup<TSetup>(this CakeHost host) where TSetup : class, IFrostingTaskSetup
        => host.ConfigureServices(services => services.UseTaskSetup<TSetup>());

    /// <summary>Teardown after each task.</summary>
    public static CakeHost UseTaskTeardown<TTeardown>(this CakeHost host) where TTeardown : class, IFrostingTaskTeardown
        => host.ConfigureServices(services => services.UseTaskTeardown<TTeardown>());

    /// <summary>Registers a Cake module's services.</summary>
    public static CakeHost UseModule<TModule>(this CakeHost host) where TModule : ICakeModule, new()
        => host.ConfigureServices(services => services.UseModule<TModule>());

    /// <summary>The working directory when --working is not given.</summary>
    public static CakeHost UseWorkingDirectory(this CakeHost host, DirectoryPath path)
        => host.ConfigureServices(services => services.UseWorkingDirectory(path));

    /// <summary>A Cake setting default, overridden by environment, cake.config and command line.</summary>
    public static CakeHost UseCakeSetting(this CakeHost host, string key, string value)
        => host.ConfigureServices(services => services.UseCakeSetting(key, value));

    /// <summary>Where tools are installed (Cake's <c>Paths_Tools</c> setting).</summary>
    public static CakeHost SetToolPath(this CakeHost host, DirectoryPath path)
        => host.ConfigureServices(services => services.UseToolPath(path));

    /// <summary>Installs a tool before a normal run.</summary>
    public static CakeHost InstallTool(this CakeHost host, Uri uri)
        => host.ConfigureServices(services => services.UseTool(uri));
}

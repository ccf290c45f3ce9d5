using System.Reflection;
using Cake.Core.Composition;
using Cake.Core.IO;
using Cake.Frosting;
using KubeRunbooks.Errors;
using KubeRunbooks.Frosting.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace KubeRunbooks.Frosting;

/// <summary>
/// This project's Frosting host: discovers task classes (<see cref="IFrostingTask"/>), registers them into Cake's
/// engine and runs the targets given on the command line, like Cake.Frosting's <c>CakeHost</c> and with its
/// configuration methods (<c>return new RunbookHost().UseContext&lt;T&gt;().Run(args);</c>). What it adds: distinct
/// exit codes (<see cref="Run"/>), the planned changes under <c>--dryrun</c> (<see cref="IPlannedMutations"/>), run
/// listeners (<see cref="IRunListener"/>) and <see cref="RunMode"/>.
/// </summary>
public sealed class RunbookHost
{
    private readonly IServiceCollection _services = DefaultServices.Create();
    private readonly List<Assembly> _assemblies = [];
    private Func<Type, bool> _taskFilter = _ => true;

    /// <summary>Creates a host; the entry assembly is always searched for tasks.</summary>
    public RunbookHost()
    {
        if (Assembly.GetEntryAssembly() is { } entry)
        {
            _assemblies.Add(entry);
        }
    }

    /// <summary>Creates a host.</summary>
    public static RunbookHost Create() => new();

    /// <summary>Searches <paramref name="assembly"/> for task classes too.</summary>
    public RunbookHost AddAssembly(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        if (!_assemblies.Contains(assembly))
        {
            _assemblies.Add(assembly);
        }

        return this;
    }

    /// <summary>Adds or replaces services (contexts, lifetimes, listeners, capabilities).</summary>
    public RunbookHost ConfigureServices(Action<IServiceCollection> services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services(_services);
        return this;
    }

    /// <summary>Lets <typeparamref name="TStartup"/> configure the services.</summary>
    public RunbookHost UseStartup<TStartup>() where TStartup : IFrostingStartup, new()
        => ConfigureServices(services => new TStartup().Configure(services));

    /// <summary>The run's context, built through DI only for a normal run or a dry run.</summary>
    public RunbookHost UseContext<TContext>() where TContext : class, IFrostingContext
        => ConfigureServices(services => services.UseContext<TContext>());

    /// <summary>Setup and teardown around the whole run.</summary>
    public RunbookHost UseLifetime<TLifetime>() where TLifetime : class, IFrostingLifetime
        => ConfigureServices(services => services.UseLifetime<TLifetime>());

    /// <summary>Setup before the first task.</summary>
    public RunbookHost UseSetup<TSetup>() where TSetup : class, IFrostingSetup
        => ConfigureServices(services => services.UseSetup<TSetup>());

    /// <summary>Teardown after the last task.</summary>
    public RunbookHost UseTeardown<TTeardown>() where TTeardown : class, IFrostingTeardown
        => ConfigureServices(services => services.UseTeardown<TTeardown>());

    /// <summary>Setup and teardown around each task.</summary>
    public RunbookHost UseTaskLifetime<TLifetime>() where TLifetime : class, IFrostingTaskLifetime
        => ConfigureServices(services => services.UseTaskLifetime<TLifetime>());

    /// <summary>Setup before each task.</summary>
    public RunbookHost UseTaskSetup<TSetup>() where TSetup : class, IFrostingTaskSetup
        => ConfigureServices(services => services.UseTaskSetup<TSetup>());

    /// <summary>Teardown after each task.</summary>
    public RunbookHost UseTaskTeardown<TTeardown>() where TTeardown : class, IFrostingTaskTeardown
        => ConfigureServices(services => services.UseTaskTeardown<TTeardown>());

    /// <summary>Registers a Cake module's services.</summary>
    public RunbookHost UseModule<TModule>() where TModule : ICakeModule, new()
        => ConfigureServices(services => services.UseModule<TModule>());

    /// <summary>The working directory when --working is not given (relative paths resolve against the current directory).</summary>
    public RunbookHost UseWorkingDirectory(DirectoryPath path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return ConfigureServices(services =>
        {
            services.RemoveAll<WorkingDirectorySetting>();
            services.AddSingleton(new WorkingDirectorySetting(path));
        });
    }

    /// <summary>A Cake setting default (e.g. <c>Paths_Profiles</c>); environment, cake.config and the command line override it.</summary>
    public RunbookHost UseCakeSetting(string key, string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        return ConfigureServices(services => services.AddSingleton(new CakeSettingDefault(key, value)));
    }

    /// <summary>Where tools are installed (Cake's <c>Paths_Tools</c> setting).</summary>
    public RunbookHost SetToolPath(DirectoryPath path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return UseCakeSetting("Paths_Tools", path.FullPath);
    }

    /// <summary>Installs a tool (Cake's package URI, e.g. <c>nuget:?package=X&amp;version=1.0</c>) before a normal run.</summary>
    public RunbookHost InstallTool(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return ConfigureServices(services => services.AddSingleton(new ToolInstallation(uri)));
    }

    /// <summary>Keeps only the discovered task classes for which <paramref name="filter"/> is true (all by default).</summary>
    internal RunbookHost FilterTasks(Func<Type, bool> filter)
    {
        _taskFilter = filter;
        return this;
    }

    /// <summary>
    /// Runs the command line and returns the process exit code (<see cref="ExitCode"/>):
    /// 0 success, also when only <see cref="ContinueOnErrorAttribute"/> tasks failed, and for
    /// --help, --version, --info, --tree and --description;
    /// 1 a task, a lifetime or the task set failed: Cake's error output, then a line naming the task;
    /// 2 invalid input: a command-line parse error, an unknown target or working directory, or an
    /// <see cref="InvalidInputException"/> from the context's constructor, a lifetime or a task;
    /// 3 <see cref="ClusterLockHeldException"/>. Codes 2 and 3 print exactly one line on stderr,
    /// <c>error: &lt;message&gt;</c>.
    /// </summary>
    public int Run(IEnumerable<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        foreach (var type in DiscoverTasks())
        {
            _services.AddSingleton(type);
            _services.AddSingleton(typeof(IFrostingTask), provider => provider.GetRequiredService(type));
        }

        return new HostRunner(_services).Run(args.ToArray());
    }

    private IEnumerable<Type> DiscoverTasks()
        => _assemblies
            .SelectMany(assembly => assembly.GetExportedTypes())
            .Where(type => type is { IsClass: true, IsAbstract: false, ContainsGenericParameters: false } && typeof(IFrostingTask).IsAssignableFrom(type))
            .Where(_taskFilter)
            .Distinct();
}

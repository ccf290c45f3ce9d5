using System.Reflection;
using Cake.Frosting.Hosting;
using KubeRunbooks.Errors;
using Microsoft.Extensions.DependencyInjection;

namespace Cake.Frosting;

/// <summary>
/// The Frosting host: discovers task classes, registers them into Cake's engine and runs the
/// targets given on the command line (<c>return new CakeHost().UseContext&lt;T&gt;().Run(args);</c>).
/// </summary>
public sealed class CakeHost
{
    private readonly IServiceCollection _services = DefaultServices.Create();
    private readonly List<Assembly> _assemblies = [];
    private Func<Type, bool> _taskFilter = _ => true;

    /// <summary>Creates a host; the entry assembly is always searched for tasks.</summary>
    public CakeHost()
    {
        if (Assembly.GetEntryAssembly() is { } entry)
        {
            _assemblies.Add(entry);
        }
    }

    /// <summary>Creates a host.</summary>
    public static CakeHost Create() => new();

    /// <summary>Searches <paramref name="assembly"/> for task classes too.</summary>
    public CakeHost AddAssembly(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        if (!_assemblies.Contains(assembly))
        {
            _assemblies.Add(assembly);
        }

        return this;
    }

    /// <summary>Adds or replaces services (contexts, lifetimes, listeners, capabilities).</summary>
    public CakeHost ConfigureServices(Action<IServiceCollection> services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services(_services);
        return this;
    }

    /// <summary>Keeps only the discovered task classes for which <paramref name="filter"/> is true (all by default).</summary>
    internal CakeHost FilterTasks(Func<Type, bool> filter)
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

using System.Reflection;
using Cake.Core;
using Cake.Core.Graph;
using Cake.Frosting;
using KubeRunbooks.Frosting;
using Microsoft.Extensions.DependencyInjection;

namespace KubeRunbooks.Safety;

/// <summary>
/// Which tasks of this run change the cluster: those in the targets' dependency graph whose class implements
/// <see cref="IPlannedMutations"/> (the tasks a dry run lists changes for). Read from Cake's engine and task graph,
/// so a new target is covered by what its steps are, without asking anything of it. <c>--exclusive</c> is not
/// seen here: the whole graph counts (the safe side).
/// </summary>
public static class RunMutations
{
    /// <summary>
    /// The names of the tasks that would change the cluster, in execution order; empty for a read-only run or when
    /// the host does not expose its engine through <see cref="ICakeContext.ServiceProvider"/>.
    /// </summary>
    public static IReadOnlyList<string> Of(ICakeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var services = context.ServiceProvider;
        if (services?.GetService<ICakeEngine>() is not { } engine)
        {
            return [];
        }

        var mutating = new HashSet<string>(
            services.GetServices<IFrostingTask>().Where(t => t is IPlannedMutations).Select(t => NameOf(t.GetType())),
            StringComparer.OrdinalIgnoreCase);
        var targets = Targets(context);
        var graph = CakeGraphBuilder.Build(engine.Tasks.ToList());
        return targets.Where(graph.Exist).SelectMany(graph.Traverse)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Where(mutating.Contains)
            .ToList();
    }

    /// <summary>The targets asked for on the command line (<c>Default</c> when none was given).</summary>
    public static IReadOnlyList<string> Targets(ICakeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var targets = context.Arguments.HasArgument("target") ? context.Arguments.GetArguments("target").Where(t => !string.IsNullOrEmpty(t)).ToList() : [];
        return targets.Count == 0 ? ["Default"] : targets;
    }

    // Frosting's rule: [TaskName], else the class name.
    private static string NameOf(Type type) => type.GetCustomAttribute<TaskNameAttribute>()?.Name ?? type.Name;
}

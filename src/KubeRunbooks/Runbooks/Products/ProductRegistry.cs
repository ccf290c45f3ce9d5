using System.Reflection;
using KubeRunbooks.Clusters.Products;
using KubeRunbooks.Runbooks.Plans;

namespace KubeRunbooks.Runbooks.Products;

/// <summary>The product modules of this host: their profile sections for the loader, their plans by target.</summary>
public sealed class ProductRegistry
{
    private readonly Dictionary<string, RunbookPlanFactory> _plans = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Registers <paramref name="modules"/>; two modules with one section key or one target are a programming error.</summary>
    public ProductRegistry(IEnumerable<IProductModule> modules)
    {
        Modules = modules.OrderBy(m => m.Section.Key, StringComparer.Ordinal).ToList();
        var twice = Modules.GroupBy(m => m.Section.Key).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null) throw new ArgumentException($"Two product modules read the profile section '{twice.Key}'.", nameof(modules));
        foreach (var plan in Modules.SelectMany(m => m.Plans))
        {
            if (!_plans.TryAdd(plan.Target, plan)) throw new ArgumentException($"Two product modules plan the target '{plan.Target}'.", nameof(modules));
        }
    }

    /// <summary>No product: a profile may have no product section.</summary>
    public static ProductRegistry Empty { get; } = new([]);

    /// <summary>The modules, by section key.</summary>
    public IReadOnlyList<IProductModule> Modules { get; }

    /// <summary>The profile sections the loader reads.</summary>
    public IReadOnlyList<ProductSection> Sections => Modules.Select(m => m.Section).ToList();

    /// <summary>Every public, concrete <see cref="IProductModule"/> with a parameterless constructor in <paramref name="assemblies"/>.</summary>
    public static ProductRegistry FromAssemblies(params IEnumerable<Assembly> assemblies) =>
        new(assemblies.Distinct()
            .SelectMany(a => a.GetExportedTypes())
            .Where(t => t is { IsClass: true, IsAbstract: false, ContainsGenericParameters: false } && typeof(IProductModule).IsAssignableFrom(t) && t.GetConstructor(Type.EmptyTypes) is not null)
            .Select(t => (IProductModule)Activator.CreateInstance(t)!));

    /// <summary>How <paramref name="target"/> makes its plan, or null for a target without one (read-only targets).</summary>
    public RunbookPlanFactory? PlanFor(string target) => _plans.GetValueOrDefault(target);

    /// <summary>The targets whose plan is a <typeparamref name="TPlan"/>, in registration order.</summary>
    public IReadOnlyList<string> TargetsPlanning<TPlan>() where TPlan : IRunbookPlan =>
        _plans.Values.Where(p => typeof(TPlan).IsAssignableFrom(p.PlanType)).Select(p => p.Target).ToList();
}

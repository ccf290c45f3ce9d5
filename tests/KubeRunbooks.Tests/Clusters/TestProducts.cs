using KubeRunbooks.Clusters.Products;
using KubeRunbooks.Runbooks.Products;
using KubeRunbooks.Tasks.Vantiq;

namespace KubeRunbooks.Tests.Clusters;

/// <summary>The product modules the host registers (those of the tasks assembly), for tests that load profiles directly.</summary>
public static class TestProducts
{
    /// <summary>Every product module of the tasks assembly.</summary>
    public static ProductRegistry All { get; } = ProductRegistry.FromAssemblies(typeof(VantiqModule).Assembly);

    /// <summary>Their profile sections.</summary>
    public static IReadOnlyList<ProductSection> Sections => All.Sections;
}

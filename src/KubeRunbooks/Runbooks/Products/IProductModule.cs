using KubeRunbooks.Clusters.Products;
using KubeRunbooks.Runbooks.Plans;

namespace KubeRunbooks.Runbooks.Products;

/// <summary>
/// A product as the host knows it: a folder of <c>tasks/</c> that owns its profile section, its plans (one per
/// target) and its ClusterInfo lines. Found by <see cref="ProductRegistry.FromAssemblies"/>, so adding a product
/// changes no file outside its folder.
/// </summary>
public interface IProductModule
{
    /// <summary>The product's profile section.</summary>
    ProductSection Section { get; }

    /// <summary>How each of the product's targets makes its plan.</summary>
    IEnumerable<RunbookPlanFactory> Plans { get; }

    /// <summary>The lines ClusterInfo shows and records for this product (read-only; none when it is not installed).</summary>
    Task<IReadOnlyList<(string Key, string Value)>> ClusterInfoAsync(RunbookContext context, CancellationToken cancellationToken);
}

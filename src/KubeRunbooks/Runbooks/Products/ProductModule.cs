using KubeRunbooks.Clusters.Products;
using KubeRunbooks.Runbooks.Plans;

namespace KubeRunbooks.Runbooks.Products;

/// <summary>The base of a product module: its section is <typeparamref name="TSettings"/>; no targets and no ClusterInfo lines until it overrides them.</summary>
/// <typeparam name="TSettings">The product's profile section.</typeparam>
public abstract class ProductModule<TSettings> : IProductModule
    where TSettings : class, IProductSettings, IProductSection<TSettings>
{
    /// <inheritdoc />
    public ProductSection Section { get; } = ProductSection.Of<TSettings>();

    /// <inheritdoc />
    public virtual IEnumerable<RunbookPlanFactory> Plans => [];

    /// <inheritdoc />
    public virtual Task<IReadOnlyList<(string Key, string Value)>> ClusterInfoAsync(RunbookContext context, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<(string Key, string Value)>>([]);
}

using KubeRunbooks.Errors;

namespace KubeRunbooks.Clusters.Products;

/// <summary>
/// The product sections a profile has, by settings type. A product whose section the file does not have is absent:
/// it is not installed on that cluster.
/// </summary>
public sealed class ProductSections
{
    private readonly IReadOnlyList<IProductSettings> _sections;

    private ProductSections(IReadOnlyList<IProductSettings> sections) => _sections = sections;

    /// <summary>No product section.</summary>
    public static ProductSections Empty { get; } = new([]);

    /// <summary>The sections given, in order (one per settings type).</summary>
    public static ProductSections Of(params IEnumerable<IProductSettings> sections)
    {
        var list = sections.ToList();
        var twice = list.GroupBy(s => s.GetType()).FirstOrDefault(g => g.Count() > 1);
        return twice is null ? new ProductSections(list) : throw new ArgumentException($"Two sections of type {twice.Key.Name}.", nameof(sections));
    }

    /// <summary>Every section present, in profile-loader order.</summary>
    public IReadOnlyList<IProductSettings> All => _sections;

    /// <summary>The section of type <typeparamref name="T"/>, or null when the product is not installed.</summary>
    public T? Get<T>() where T : class, IProductSettings => _sections.OfType<T>().FirstOrDefault();

    /// <summary>These sections with <paramref name="section"/> added or replacing the one of its type.</summary>
    public ProductSections With(IProductSettings section) =>
        new(_sections.Where(s => s.GetType() != section.GetType()).Append(section).ToList());

    /// <summary>These sections without the one of type <typeparamref name="T"/>.</summary>
    public ProductSections Without<T>() where T : class, IProductSettings => new(_sections.Where(s => s is not T).ToList());

    /// <summary>
    /// The section of type <typeparamref name="T"/>, or a one-line <see cref="InvalidInputException"/> naming the profile
    /// when it has none: call it in a runbook's validation, before any mutation.
    /// </summary>
    public T Require<T>(ClusterProfile profile) where T : class, IProductSettings, IProductSection<T> =>
        Get<T>() ?? throw new InvalidInputException(
            $"{profile.SourcePath}: no '{T.Key}' section, so {T.ProductName} is not installed on cluster '{profile.Name}' (add '{T.Key}: {{}}' for the defaults)");
}

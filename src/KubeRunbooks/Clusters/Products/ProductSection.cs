using KubeRunbooks.Clusters.Yaml;

namespace KubeRunbooks.Clusters.Products;

/// <summary>A product section the profile loader knows: its key, its product name, its settings type and its reader.</summary>
/// <param name="Key">The profile's top-level key.</param>
/// <param name="ProductName">The product's name in messages.</param>
/// <param name="SettingsType">The settings type the reader returns.</param>
/// <param name="Read">Reads and validates the section.</param>
public sealed record ProductSection(string Key, string ProductName, Type SettingsType, Func<YamlSection, PathExpander, IProductSettings> Read)
{
    /// <summary>The section of settings type <typeparamref name="T"/>.</summary>
    public static ProductSection Of<T>() where T : class, IProductSettings, IProductSection<T> =>
        new(T.Key, T.ProductName, typeof(T), (section, paths) => T.Read(section, paths));
}

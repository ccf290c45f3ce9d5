using KubeRunbooks.Clusters.Yaml;

namespace KubeRunbooks.Clusters.Products;

/// <summary>
/// How a product's settings type is found in a profile and read from it: its key, its name in messages, and its
/// reader (which validates every value with the <c>file:line: key: ...</c> messages and rejects unknown keys).
/// </summary>
/// <typeparam name="TSelf">The settings type itself.</typeparam>
public interface IProductSection<TSelf> where TSelf : class, IProductSettings, IProductSection<TSelf>
{
    /// <summary>The profile's top-level key (e.g. <c>mydb</c>); an absent key means the product is not installed.</summary>
    static abstract string Key { get; }

    /// <summary>The product's name in messages.</summary>
    static abstract string ProductName { get; }

    /// <summary>Reads and validates the section; keys it does not know are rejected.</summary>
    /// <param name="section">The section's mapping.</param>
    /// <param name="paths">Expands <c>~</c> in folder values.</param>
    static abstract TSelf Read(YamlSection section, PathExpander paths);
}

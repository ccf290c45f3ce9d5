using KubeRunbooks.Clusters.Products;

namespace KubeRunbooks.Clusters;

/// <summary>
/// The product section a runbook needs, or a one-line <see cref="KubeRunbooks.Errors.InvalidInputException"/> when
/// the profile says the product is not installed: call it in a runbook's validation, before any mutation.
/// </summary>
public static class ProductRequirements
{
    /// <summary>The section of type <typeparamref name="T"/>, or a one-line error when the profile has none.</summary>
    public static T Require<T>(this ClusterProfile profile) where T : class, IProductSettings, IProductSection<T> =>
        profile.Products.Require<T>(profile);

    /// <summary>The section of type <typeparamref name="T"/>, or null when the product is not installed.</summary>
    public static T? Product<T>(this ClusterProfile profile) where T : class, IProductSettings => profile.Products.Get<T>();
}

namespace KubeRunbooks.Clusters.Products;

/// <summary>
/// One product's section of a cluster profile (the names of its objects on the cluster), owned by that product's
/// module in <c>tasks/</c>. The library reads it through this interface only and never names a product.
/// </summary>
public interface IProductSettings
{
    /// <summary>The workloads ClusterInfo shows for this product, with their namespaces, in profile order.</summary>
    IEnumerable<(string Namespace, ProfileWorkload Workload)> ProfileWorkloads => [];
}

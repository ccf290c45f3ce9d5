using KubeRunbooks.Clusters;
using KubeRunbooks.Clusters.Products;
using KubeRunbooks.Kubernetes.Access;
using KubeRunbooks.Tasks.Common;
using KubeRunbooks.Tasks.Kamonohashi;
using KubeRunbooks.Tasks.Vantiq;

namespace KubeRunbooks.Tests.Pipelines.Rbac;

/// <summary>The manifests name the default profile's namespaces; the check asks about the profile's own.</summary>
public sealed class ProfileNamespacesTests
{
    private static ClusterProfile Profile(params IProductSettings[] products) =>
        new() { Name = "prod", SourcePath = "clusters/prod.yaml", Products = ProductSections.Of(products) };

    [Test]
    public void A_profile_with_other_namespaces_maps_each_default_to_its_own()
    {
        var map = ProfileNamespaces.Of(Profile(new KamonohashiSettings { Namespace = "kqi-prod" }, new VantiqSettings { SharedNamespace = "ingress" }));

        Assert.That(map, Is.EqualTo(new Dictionary<string, string> { ["kqi-system"] = "kqi-prod", ["shared"] = "ingress" }));
    }

    [Test]
    public void The_default_profile_maps_nothing() =>
        Assert.That(ProfileNamespaces.Of(Profile(new KamonohashiSettings(), new VantiqSettings())), Is.Empty);

    [Test]
    public void A_manifests_rules_are_asked_in_the_profiles_namespaces_and_cluster_rules_stay_cluster_wide()
    {
        var map = new Dictionary<string, string> { ["vantiq"] = "vantiq-prod" };
        var rules = ProfileNamespaces.Apply(RoleManifests.For("RebalancePods")!.Rules, map);

        Assert.That(rules.Select(r => r.Namespace).Distinct(), Is.EquivalentTo(new string?[] { null, "vantiq-prod" }));
        Assert.That(rules.Select(r => r.Describe()), Does.Contain("update nodes cluster-wide").And.Contain("patch statefulsets.apps/scale in namespace vantiq-prod"));
    }
}

using KubeRunbooks.Clusters;
using KubeRunbooks.Clusters.Products;
using KubeRunbooks.Tasks.Exastro;
using KubeRunbooks.Tasks.Kamonohashi;
using KubeRunbooks.Tasks.OpenShift;
using KubeRunbooks.Tasks.ThreeScale;
using KubeRunbooks.Tasks.Vantiq;

namespace KubeRunbooks.Tests.Clusters;

[TestFixture]
public sealed class ProductRequirementsTests
{
    [Test]
    public void A_missing_product_section_is_one_line_naming_the_file_and_section()
    {
        var profile = new ClusterProfile { Name = "prod", SourcePath = "clusters/prod.yaml" };

        var error = Assert.Throws<KubeRunbooks.Errors.InvalidInputException>(() => profile.Require<VantiqSettings>())!;

        Assert.That(error.Message, Is.EqualTo(
            "clusters/prod.yaml: no 'vantiq' section, so Vantiq is not installed on cluster 'prod' (add 'vantiq: {}' for the defaults)"));
    }

    [Test]
    public void A_present_product_section_is_returned()
    {
        var profile = new ClusterProfile { Name = "prod", SourcePath = "p", Products = ProductSections.Of(new KamonohashiSettings { Namespace = "kqi" }) };

        Assert.That(profile.Require<KamonohashiSettings>().Namespace, Is.EqualTo("kqi"));
        Assert.That(() => profile.Require<ExastroSettings>(), Throws.TypeOf<KubeRunbooks.Errors.InvalidInputException>());
    }
}

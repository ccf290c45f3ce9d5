using KubeRunbooks.Clusters;

namespace KubeRunbooks.Tests.Clusters;

[TestFixture]
public sealed class ProductRequirementsTests
{
    [Test]
    public void A_missing_product_section_is_one_line_naming_the_file_and_section()
    {
        var profile = new ClusterProfile { Name = "prod", SourcePath = "clusters/prod.yaml" };

        var error = Assert.Throws<KubeRunbooks.Errors.InvalidInputException>(() => profile.RequireVantiq())!;

        Assert.That(error.Message, Is.EqualTo(
            "clusters/prod.yaml: no 'vantiq' section, so Vantiq is not installed on cluster 'prod' (add 'vantiq: {}' for the defaults)"));
    }

    [Test]
    public void A_present_product_section_is_returned()
    {
        var profile = new ClusterProfile { Name = "prod", SourcePath = "p", Kamonohashi = new KamonohashiSettings { Namespace = "kqi" } };

        Assert.That(profile.RequireKamonohashi().Namespace, Is.EqualTo("kqi"));
        Assert.That(() => profile.RequireExastro(), Throws.TypeOf<KubeRunbooks.Errors.InvalidInputException>());
    }
}

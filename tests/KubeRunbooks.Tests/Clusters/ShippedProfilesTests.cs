using KubeRunbooks.Clusters;
using KubeRunbooks.Clusters.Products;
using KubeRunbooks.Tasks.Exastro;
using KubeRunbooks.Tasks.Kamonohashi;
using KubeRunbooks.Tasks.OpenShift;
using KubeRunbooks.Tasks.ThreeScale;
using KubeRunbooks.Tasks.Vantiq;

namespace KubeRunbooks.Tests.Clusters;

/// <summary>The profiles committed in <c>clusters/</c> load and say what their comments claim.</summary>
[TestFixture]
public sealed class ShippedProfilesTests
{
    private static string RepositoryClusters()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "global.json")) && Directory.Exists(Path.Combine(dir.FullName, "clusters")))
            {
                return Path.Combine(dir.FullName, "clusters");
            }
        }

        throw new DirectoryNotFoundException("clusters/ not found above the test folder");
    }

    [Test]
    public void Local_is_the_simulated_standard_scenario_with_every_product()
    {
        var profile = new ProfileCatalog(RepositoryClusters(), _ => null, "/nonexistent-home", products: TestProducts.Sections).Load(null);

        Assert.Multiple(() =>
        {
            Assert.That(profile.Name, Is.EqualTo("local"));
            Assert.That(profile.Connection.Simulator!.Scenario, Is.EqualTo("standard"));
            Assert.That(profile.Product<VantiqSettings>(), Is.EqualTo(new VantiqSettings()).Using<VantiqSettings>(SameNames));
            Assert.That(profile.Product<KamonohashiSettings>(), Is.Not.Null);
            Assert.That(profile.Product<ExastroSettings>(), Is.Not.Null);
            Assert.That(profile.Product<ThreeScaleSettings>(), Is.Not.Null);
        });
    }

    [Test]
    public void Example_shows_every_key_and_loads_with_a_matching_kubeconfig()
    {
        using var folder = new ProfileFolder();
        folder.WriteKubeconfig(".kube/config", "prod-admin");
        var catalog = new ProfileCatalog(RepositoryClusters(), _ => null, folder.Home, products: TestProducts.Sections);

        var profile = catalog.Load("example");

        Assert.Multiple(() =>
        {
            Assert.That(catalog.Names(), Does.Contain("example").And.Contain("local"));
            Assert.That(profile.Connection.Context, Is.EqualTo("prod-admin"));
            Assert.That(profile.Product<VantiqSettings>()!.Deploy.Command, Is.EqualTo("./gradlew -Pcluster=prod deployVantiq"));
            Assert.That(profile.Schedule.Slots, Has.Count.EqualTo(2));
        });
    }

    private static bool SameNames(VantiqSettings a, VantiqSettings b) =>
        a.Namespace == b.Namespace && a.Server == b.Server && a.OptionalWorkloads.SequenceEqual(b.OptionalWorkloads)
        && a.BackupCronJob == b.BackupCronJob && a.Secrets == b.Secrets;
}

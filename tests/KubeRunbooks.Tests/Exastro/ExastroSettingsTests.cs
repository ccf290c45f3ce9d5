using KubeRunbooks.Clusters;
using KubeRunbooks.Errors;
using KubeRunbooks.Tasks.Exastro;
using KubeRunbooks.Tests.Clusters;

namespace KubeRunbooks.Tests.Exastro;

/// <summary>The profile's <c>exastro</c> section: the seed's names by default, lists of names checked one by one.</summary>
[TestFixture]
public sealed class ExastroSettingsTests
{
    private ProfileFolder _folder = null!;

    [SetUp]
    public void SetUp()
    {
        _folder = new ProfileFolder();
        _folder.WriteKubeconfig(".kube/config", "prod-admin");
    }

    [TearDown]
    public void TearDown() => _folder.Dispose();

    [Test]
    public void An_empty_section_gets_the_seeds_names()
    {
        _folder.Write("prod", "exastro: {}\n");

        var s = _folder.Catalog().Load("prod").Product<ExastroSettings>()!;

        Assert.Multiple(() =>
        {
            Assert.That(s.ReverseProxy, Is.EqualTo("platform-auth"));
            Assert.That(s.Backyard, Is.Empty, "every ita-by-* Deployment");
            Assert.That(s.EncryptionKeySecrets, Is.EqualTo(new[] { "ita-secret-ita-global" }));
            Assert.That(s.MaintenancePod, Is.EqualTo("exastro-maintenance"));
            Assert.That(s.DatabaseServers, Is.EqualTo("auto"));
        });
    }

    [Test]
    public void Lists_and_layout_are_read()
    {
        _folder.Write("prod", "exastro:\n  backyard: [ita-by-a, ita-by-b]\n  encryptionKeySecrets: [k1, k2]\n  databaseServers: separate\n");

        var s = _folder.Catalog().Load("prod").Product<ExastroSettings>()!;

        Assert.That(s.Backyard, Is.EqualTo(new[] { "ita-by-a", "ita-by-b" }));
        Assert.That(s.EncryptionKeySecrets, Is.EqualTo(new[] { "k1", "k2" }));
        Assert.That(s.DatabaseServers, Is.EqualTo("separate"));
    }

    [TestCase("exastro:\n  backyard: ita-by-a\n", "exastro.backyard: expected a list of names, found a value")]
    [TestCase("exastro:\n  backyard: [ita-by-a, Bad_Name]\n", "exastro.backyard: 'Bad_Name' is not an object name")]
    [TestCase("exastro:\n  encryptionKeySecrets: [k1, k1]\n", "exastro.encryptionKeySecrets: 'k1' is listed twice")]
    [TestCase("exastro:\n  databaseServers: split\n", "exastro.databaseServers: 'split' is not auto, shared or separate")]
    public void A_bad_value_is_one_line_naming_file_line_and_key(string yaml, string expected)
    {
        _folder.Write("prod", yaml);

        var error = Assert.Throws<InvalidInputException>(() => _folder.Catalog().Load("prod"))!;

        Assert.That(error.Message, Does.Contain("prod.yaml:").And.Contain(expected).And.Not.Contain("\n"));
    }
}

using KubeRunbooks.Reporting;

namespace KubeRunbooks.Tests.Reporting;

[TestFixture]
public sealed class SecretMaskerTests
{
    [Test]
    public void Registered_values_are_replaced_everywhere_in_a_text()
    {
        var masker = new SecretMasker();
        masker.Register("hunter2");

        Assert.That(masker.Mask("pw=hunter2; again hunter2."), Is.EqualTo("pw=***; again ***."));
    }

    [Test]
    public void A_secret_containing_another_is_replaced_whole()
    {
        var masker = new SecretMasker();
        masker.Register("abc");
        masker.Register("xxabcxx");

        Assert.That(masker.Mask("[xxabcxx] [abc]"), Is.EqualTo("[***] [***]"));
    }

    [Test]
    public void Empty_and_whitespace_values_are_not_registered()
    {
        var masker = new SecretMasker();
        masker.Register("");
        masker.Register("  ");
        masker.Register(null);

        Assert.That(masker.Mask("a b c"), Is.EqualTo("a b c"));
    }

    [Test]
    public void Text_without_secrets_is_unchanged() =>
        Assert.That(new SecretMasker().Mask("nothing here"), Is.EqualTo("nothing here"));

    [TestCase("password", true)]
    [TestCase("db-Password", true)]
    [TestCase("github_token", true)]
    [TestCase("client-secret", true)]
    [TestCase("license-key", true)]
    [TestCase("cluster", false)]
    [TestCase("to", false)]
    [TestCase("target", false)]
    public void Names_that_suggest_secrets_are_recognised(string name, bool secret) =>
        Assert.That(SecretMasker.IsSecretName(name), Is.EqualTo(secret));
}

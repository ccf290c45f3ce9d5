using KubeRunbooks.Errors;
using KubeRunbooks.Versions;

namespace KubeRunbooks.Tests.Versions;

[TestFixture]
public class ProductVersionTests
{
    [TestCase("1.30.10", 1, 30, 10)]
    [TestCase("v1.31.0", 1, 31, 0)]
    [TestCase(" 2.0.7 ", 2, 0, 7)]
    public void Parses_versions_as_the_seed_writes_them(string text, int major, int minor, int patch)
    {
        Assert.That(ProductVersion.Parse(text), Is.EqualTo(new ProductVersion(major, minor, patch)));
    }

    [TestCase("")]
    [TestCase("1.30")]
    [TestCase("1.30.10.1")]
    [TestCase("1.x.0")]
    [TestCase("1.-2.3")]
    [TestCase("1..3")]
    [TestCase("latest")]
    public void Rejects_malformed_versions_with_one_line_naming_the_value(string text)
    {
        Assert.That(ProductVersion.TryParse(text, out _), Is.False);
        var e = Assert.Throws<InvalidInputException>(() => ProductVersion.Parse(text, "--to"));
        Assert.That(e!.Message, Does.StartWith($"--to '{text}' is not a version"));
        Assert.That(e.Message, Does.Not.Contain("\n"));
    }

    [Test]
    public void Compares_numerically_not_as_text()
    {
        Assert.That(ProductVersion.Parse("1.30.10") > ProductVersion.Parse("1.30.9"), Is.True);
        Assert.That(ProductVersion.Parse("1.4.0") < ProductVersion.Parse("1.30.0"), Is.True);
        Assert.That(ProductVersion.Parse("1.30.10").ToString(), Is.EqualTo("1.30.10"));
    }

    [TestCase("1.30.10", "1.31.0", VersionChange.MinorUpgrade)]
    [TestCase("1.30.10", "1.32.4", VersionChange.MinorUpgrade)]
    [TestCase("1.30.10", "1.30.11", VersionChange.PatchUpgrade)]
    [TestCase("1.30.10", "1.30.10", VersionChange.Same)]
    [TestCase("1.30.10", "1.30.9", VersionChange.Downgrade)]
    [TestCase("1.30.10", "1.29.20", VersionChange.Downgrade)]
    [TestCase("1.30.10", "0.40.0", VersionChange.Downgrade)]
    [TestCase("1.30.10", "2.0.0", VersionChange.MajorUpgrade)]
    public void Classifies_changes(string from, string to, VersionChange expected)
    {
        Assert.That(VersionChangeClassifier.Classify(ProductVersion.Parse(from), ProductVersion.Parse(to)), Is.EqualTo(expected));
    }
}

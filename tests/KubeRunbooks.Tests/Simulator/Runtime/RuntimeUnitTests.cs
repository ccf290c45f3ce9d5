using KubeRunbooks.Simulator.Runtime;

namespace KubeRunbooks.Tests.Simulator.Runtime;

/// <summary>The small pure parts of the runtime: image references, $(VAR) expansion, identities, server images, addresses.</summary>
[TestFixture]
public sealed class RuntimeUnitTests
{
    [TestCase("vantiq/vantiq-server:1.30.10", "vantiq/vantiq-server", "1.30.10", "vantiq-server")]
    [TestCase("registry.local:5000/a/mongobackup", "registry.local:5000/a/mongobackup", "latest", "mongobackup")]
    [TestCase("busybox:1.36@sha256:abc", "busybox", "1.36", "busybox")]
    public void An_image_splits_into_repository_and_tag(string image, string repository, string tag, string shortName)
    {
        var parsed = PulledImage.Parse(image);

        Assert.That((parsed.Repository, parsed.Tag, parsed.ShortName), Is.EqualTo((repository, tag, shortName)));
    }

    [TestCase("$(A)/$(B)", "1/$(B)")]
    [TestCase("$$(A)", "$(A)")]
    [TestCase("cost $5", "cost $5")]
    [TestCase("$(A", "$(A")]
    public void Dollar_parenthesis_references_expand_as_kubernetes_does(string input, string expected) =>
        Assert.That(EnvResolver.Expand(input, new Dictionary<string, string> { ["A"] = "1" }), Is.EqualTo(expected));
}

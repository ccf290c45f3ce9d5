using KubeRunbooks.Simulator.Runtime;

namespace KubeRunbooks.Tests.Simulator.Runtime;

/// <summary>The small pure parts of the runtime: image references, mountPath rewriting, $(VAR) expansion.</summary>
[TestFixture]
public sealed class RuntimeUnitTests
{
    [TestCase("vantiq/vantiq-server:1.30.10", "vantiq/vantiq-server", "1.30.10", "vantiq-server")]
    [TestCase("registry.local:5000/a/mongobackup", "registry.local:5000/a/mongobackup", "latest", "mongobackup")]
    [TestCase("busybox:1.36@sha256:abc", "busybox", "1.36", "busybox")]
    public void An_image_splits_into_repository_and_tag(string image, string repository, string tag, string shortName)
    {
        var parsed = ImageReference.Parse(image);

        Assert.That((parsed.Repository, parsed.Tag, parsed.ShortName), Is.EqualTo((repository, tag, shortName)));
    }

    [TestCase("/data/file.gz", "/L/data-vol/file.gz")]
    [TestCase("tar czf /data/x.tgz -C /data .", "tar czf /L/data-vol/x.tgz -C /L/data-vol .")]
    [TestCase("--out=/data", "--out=/L/data-vol")]
    [TestCase("/database/file", "/database/file")]
    [TestCase("/srv/data/file", "/srv/data/file")]
    [TestCase("/data/deep/x", "/L/deep-vol/x")]
    public void MountPaths_are_rewritten_as_whole_path_prefixes(string text, string expected)
    {
        var rewriter = new MountPathRewriter([("/data", "/L/data-vol"), ("/data/deep", "/L/deep-vol")]);

        Assert.That(rewriter.Rewrite(text), Is.EqualTo(expected));
    }

    [Test]
    public void A_rewritten_folder_is_not_rewritten_again()
    {
        var rewriter = new MountPathRewriter([("/tmp", "/tmp/root/pods/p/tmp")]);

        Assert.That(rewriter.Rewrite("/tmp/x"), Is.EqualTo("/tmp/root/pods/p/tmp/x"));
    }

    [Test]
    public void The_mount_env_name_is_the_path_in_capitals() =>
        Assert.That(MountPathRewriter.EnvNameOf("/var/lib/mongo-data"), Is.EqualTo("SIM_MOUNT__VAR_LIB_MONGO_DATA"));

    [TestCase("$(A)/$(B)", "1/$(B)")]
    [TestCase("$$(A)", "$(A)")]
    [TestCase("cost $5", "cost $5")]
    [TestCase("$(A", "$(A")]
    public void Dollar_parenthesis_references_expand_as_kubernetes_does(string input, string expected) =>
        Assert.That(EnvResolver.Expand(input, new Dictionary<string, string> { ["A"] = "1" }), Is.EqualTo(expected));
}

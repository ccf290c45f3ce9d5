using KubeRunbooks.Kubernetes.Workloads;

namespace KubeRunbooks.Tests.Kubernetes.Workloads;

[TestFixture]
public class ImageReferenceTests
{
    [TestCase("quay.io/vantiq/vantiq-server:1.30.10", "quay.io/vantiq/vantiq-server", "1.30.10", null)]
    [TestCase("registry:5000/app", "registry:5000/app", null, null)]
    [TestCase("registry:5000/app:2.1.0", "registry:5000/app", "2.1.0", null)]
    [TestCase("mongo:4.2@sha256:abc", "mongo", "4.2", "sha256:abc")]
    [TestCase("busybox", "busybox", null, null)]
    public void Splits_repository_tag_and_digest(string image, string repository, string? tag, string? digest)
    {
        Assert.That(ImageReference.Parse(image), Is.EqualTo(new ImageReference(repository, tag, digest)));
        Assert.That(ImageReference.Parse(image).ToString(), Is.EqualTo(image));
    }

    [Test]
    public void WithTag_replaces_the_tag_and_drops_the_digest()
    {
        Assert.That(ImageReference.Parse("registry:5000/vantiq:1.30.10@sha256:abc").WithTag("1.31.0").ToString(), Is.EqualTo("registry:5000/vantiq:1.31.0"));
    }

    [TestCase("")]
    [TestCase("1.31:0")]
    [TestCase("a/b")]
    [TestCase("1 2")]
    public void WithTag_refuses_what_is_not_a_tag(string tag)
    {
        Assert.That(() => ImageReference.Parse("vantiq:1.30.10").WithTag(tag), Throws.InstanceOf<ArgumentException>());
    }
}

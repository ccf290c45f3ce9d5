using KubeRunbooks.Kubernetes.Inspection;

namespace KubeRunbooks.Tests.Kubernetes;

/// <summary>The value printed between asterisk lines (the seed's first-start key).</summary>
[TestFixture]
public sealed class BannerValueTests
{
    private const string Prefix = "2020-05-06T16:21:58.595 [vert.x-eventloop-thread-0] INFO  io.vantiq.startup - ";

    [Test]
    public void The_seeds_banner_gives_the_key()
    {
        string[] lines =
        [
            "2020-05-06T16:21:57.493 [vert.x-eventloop-thread-7] INFO  i.v.c.i.l.c.VertxIsolatedDeployer - Succeeded in deploying verticle",
            Prefix + new string('*', 66),
            Prefix + "*          1234567890123456789012345678901234567890=          *",
            Prefix + new string('*', 66),
        ];

        Assert.That(BannerValue.Find(lines), Is.EqualTo("1234567890123456789012345678901234567890="));
    }

    [Test]
    public void No_banner_gives_null() =>
        Assert.That(BannerValue.Find(["starting", Prefix + new string('*', 66), "ready"]), Is.Null);

    [Test]
    public void An_empty_banner_gives_null() =>
        Assert.That(BannerValue.Find([new string('*', 20), "*                  *", new string('*', 20)]), Is.Null);
}

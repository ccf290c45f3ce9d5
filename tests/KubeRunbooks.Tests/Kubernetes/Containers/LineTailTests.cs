using KubeRunbooks.Kubernetes.Containers;

namespace KubeRunbooks.Tests.Kubernetes.Containers;

[TestFixture]
public class LineTailTests
{
    [Test]
    public void Keeps_the_last_lines_in_order()
    {
        var tail = new LineTail(3);
        foreach (var line in new[] { "a", "b", "c", "d", "e" }) tail.Add(line);
        Assert.That(tail.Lines, Is.EqualTo(new[] { "c", "d", "e" }));
    }

    [Test]
    public void Keeps_fewer_when_fewer_came()
    {
        var tail = new LineTail(3);
        tail.Add("only");
        Assert.That(tail.Lines, Is.EqualTo(new[] { "only" }));
        Assert.That(() => new LineTail(0), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }
}

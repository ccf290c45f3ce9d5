using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using KubeRunbooks.Simulator.State;
using KubeRunbooks.Simulator.Store;
using static KubeRunbooks.Tests.Simulator.State.StateObjects;

namespace KubeRunbooks.Tests.Simulator.State;

[TestFixture]
public sealed class StateFileTests
{
    private const string SecretValue = "aHVudGVyMi1zM2NyM3Q=";
    private string _folder = "";
    private string _path = "";

    [SetUp]
    public void CreateFolder()
    {
        _folder = NewFolder();
        _path = Path.Combine(_folder, StateFile.FileName);
    }

    [TearDown]
    public void RemoveFolder() => DeleteFolder(_folder);

    [Test]
    public void A_snapshot_round_trips_and_leaves_no_temporary_file()
    {
        var store = new ObjectStore();
        store.Create(ResourceCatalog.Secrets, "default", Secret("db", SecretValue));
        var snapshot = store.Snapshot();

        StateFile.Write(_path, snapshot);
        var read = StateFile.Read(_path)!;

        Assert.Multiple(() =>
        {
            Assert.That(read.ResourceVersion, Is.EqualTo(snapshot.ResourceVersion));
            Assert.That(read.Objects, Has.Count.EqualTo(snapshot.Objects.Count));
            Assert.That(read.Objects.Zip(snapshot.Objects).All(p => JsonNode.DeepEquals(p.First, p.Second)), Is.True);
            Assert.That(Directory.GetFiles(_folder).Select(Path.GetFileName), Is.EqualTo(new[] { StateFile.FileName }));
        });
    }

    [Test]
    public void A_missing_file_means_no_state_yet() => Assert.That(StateFile.Read(_path), Is.Null);

    [Test]
    public void A_leftover_temporary_file_from_a_killed_run_is_ignored_and_replaced()
    {
        StateFile.Write(_path, new ObjectStore().Snapshot());
        File.WriteAllText(_path + ".tmp", "half a wri");

        Assert.That(StateFile.Read(_path)!.ResourceVersion, Is.EqualTo(3));
        StateFile.Write(_path, new ObjectStore().Snapshot());
        Assert.That(File.Exists(_path + ".tmp"), Is.False);
    }

    [TestCase("truncated", TestName = "A truncated state file is refused")]
    [TestCase("garbage", TestName = "A garbage state file is refused")]
    [TestCase("empty", TestName = "An empty state file is refused")]
    [TestCase("flipped", TestName = "A state file with a changed byte is refused")]
    [TestCase("appended", TestName = "A state file with bytes appended is refused")]
    [TestCase("header-only", TestName = "A state file cut after its header is refused")]
    [TestCase("wrong-format", TestName = "A state file of an unknown format version is refused")]
    public void A_damaged_state_file_is_refused_with_one_line_naming_the_fix(string damage)
    {
        StateFile.Write(_path, StoreWithSecret().Snapshot());
        var bytes = File.ReadAllBytes(_path);
        var header = Array.IndexOf(bytes, (byte)'\n') + 1;
        byte[] damaged = damage switch
        {
            "truncated" => bytes[..(bytes.Length - 7)],
            "garbage" => Encoding.UTF8.GetBytes("{\"apiVersion\": \"v1\", " + SecretValue + "\n\0\u00ff"),
            "empty" => [],
            "flipped" => Flip(bytes, header + (bytes.Length - header) / 2),
            "appended" => [.. bytes, .. "\n{}"u8.ToArray()],
            "header-only" => bytes[..header],
            "wrong-format" => [.. Encoding.ASCII.GetBytes("kuberunbooks-cluster-state v9\n"), .. bytes[header..]],
            _ => throw new ArgumentOutOfRangeException(nameof(damage)),
        };
        File.WriteAllBytes(_path, damaged);

        var error = Assert.Throws<StateFileCorruptException>(() => StateFile.Read(_path));

        Assert.Multiple(() =>
        {
            Assert.That(error!.Message, Does.Contain(_path));
            Assert.That(error.Message, Does.Contain("run ./build.sh --target=ResetLocalCluster"));
            Assert.That(error.Message, Does.Not.Contain("\n").And.Not.Contain("\r"));
            Assert.That(error.Message, Does.Not.Contain(SecretValue));
            Assert.That(error.StatePath, Is.EqualTo(_path));
        });
    }

    [Test]
    public void An_intact_checksum_over_something_that_is_not_a_state_is_refused()
    {
        var body = Encoding.UTF8.GetBytes("[\"" + SecretValue + "\"]");
        var header = $"kuberunbooks-cluster-state v1 sha256={Convert.ToHexStringLower(SHA256.HashData(body))} length={body.Length}\n";
        File.WriteAllBytes(_path, [.. Encoding.ASCII.GetBytes(header), .. body]);

        var error = Assert.Throws<StateFileCorruptException>(() => StateFile.Read(_path));

        Assert.That(error!.Message, Does.Contain("not a cluster state document").And.Not.Contain(SecretValue));
    }

    [Test]
    public void Invalid_json_with_a_valid_checksum_does_not_quote_the_content()
    {
        var body = Encoding.UTF8.GetBytes("{\"resourceVersion\": 4, \"objects\": [" + SecretValue);
        var header = $"kuberunbooks-cluster-state v1 sha256={Convert.ToHexStringLower(SHA256.HashData(body))} length={body.Length}\n";
        File.WriteAllBytes(_path, [.. Encoding.ASCII.GetBytes(header), .. body]);

        var error = Assert.Throws<StateFileCorruptException>(() => StateFile.Read(_path));

        Assert.That(error!.Message, Does.Contain("not valid JSON").And.Not.Contain(SecretValue));
    }

    private static ObjectStore StoreWithSecret()
    {
        var store = new ObjectStore();
        store.Create(ResourceCatalog.Secrets, "default", Secret("db", SecretValue));
        return store;
    }

    private static byte[] Flip(byte[] bytes, int at)
    {
        var copy = (byte[])bytes.Clone();
        copy[at] ^= 0x20;
        return copy;
    }
}

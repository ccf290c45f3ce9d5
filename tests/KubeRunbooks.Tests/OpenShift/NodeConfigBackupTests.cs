using System.Formats.Tar;
using k8s;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using KubeRunbooks.Simulator.Faults;
using KubeRunbooks.Simulator.Scenarios;
using KubeRunbooks.Simulator.Server;
using KubeRunbooks.Tests.Support;

namespace KubeRunbooks.Tests.OpenShift;

/// <summary>
/// NodeConfigBackup through the command line: a fixture root with every path of seed 003, one with optional paths
/// absent, a node of the simulated cluster read through a debug pod, and bad input. The archive is read with .NET's
/// own tar reader (not the SharpZipLib that wrote it) and compared with the fixture: names, modes, owners, times,
/// contents.
/// </summary>
[TestFixture]
[NonParallelizable]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class NodeConfigBackupTests
{
    private const string Node = NodeHostFixture.HostName;
    private string _root = null!;
    private SimulatedCluster _cluster = null!;
    private k8s.Kubernetes _client = null!;

    [OneTimeSetUp]
    public async Task StartClusterAsync()
    {
        _root = Path.Combine(Path.GetTempPath(), "kr-node-" + Guid.NewGuid().ToString("N")[..12]);
        _cluster = await SimulatedClusterBuilder.StartAsync(Scenario.Load("openshift"), _root, new ScenarioClusterSettings { ReadinessDelay = TimeSpan.Zero });
        _client = new k8s.Kubernetes(_cluster.ClientConfiguration);
    }

    [OneTimeTearDown]
    public async Task StopClusterAsync()
    {
        _client.Dispose();
        await _cluster.DisposeAsync();
        try { Directory.Delete(_root, recursive: true); }
        catch (IOException) { /* a leftover temp folder is harmless */ }
    }

    [Test]
    public void A_root_with_every_listed_path_is_archived_with_modes_owners_times_and_contents()
    {
        using var workspace = Workspace();
        var host = NewRoot();
        NodeHostFixture.Write(host);

        var run = workspace.Run("--cluster=test", "--target=NodeConfigBackup", $"--root={host}");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output + run.Error);
        var archive = SingleArchive(workspace);
        AssertArchiveMatches(archive, host, NodeHostFixture.Files);
        var manifest = Text(archive, "manifest.txt");
        Assert.That(manifest, Does.Not.Contain("absent"));
        Assert.That(manifest, Does.Contain("present /etc/origin\n").And.Contain("present /etc/sysconfig/docker-storage-setup.rpmnew\n")
            .And.Contain("present /etc/dnsmasq.d\n").And.Contain("present /etc/cni\n"));
    }

    [Test]
    public void Absent_optional_paths_are_listed_in_the_manifest_and_are_not_fatal()
    {
        using var workspace = Workspace();
        var host = NewRoot();
        string[] without = ["etc/sysconfig/flanneld", "etc/sysconfig/docker", "etc/cni", "etc/dnsmasq", "etc/pki", "etc/origin/cloudprovider"];
        NodeHostFixture.Write(host, without);

        var run = workspace.Run("--cluster=test", "--target=NodeConfigBackup", $"--root={host}");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output + run.Error);
        var archive = SingleArchive(workspace);
        AssertArchiveMatches(archive, host, NodeHostFixture.Files.Where(f => !without.Any(f.StartsWith)).ToArray());
        var absent = Text(archive, "manifest.txt").Split('\n').Where(l => l.StartsWith("absent ", StringComparison.Ordinal)).ToList();
        Assert.That(absent, Is.EqualTo(new[]
        {
            "absent /etc/sysconfig/docker", "absent /etc/sysconfig/docker-*", "absent /etc/sysconfig/flanneld",
            "absent /etc/dnsmasq*", "absent /etc/cni", "absent /etc/pki/ca-trust/source/anchors",
        }));
        Assert.That(run.Output, Does.Contain("absent (optional, listed in manifest.txt): /etc/cni"));
    }

    [Test]
    public async Task A_node_is_read_through_a_privileged_pod_that_is_deleted_afterwards()
    {
        using var workspace = Workspace();
        var host = NodeFilesystem();
        NodeHostFixture.Write(host);
        var before = Audit().Count;

        var run = workspace.Run("--cluster=test", "--target=NodeConfigBackup", $"--node={Node}");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output + run.Error);
        var archive = SingleArchive(workspace);
        Assert.That(Path.GetFileName(archive), Does.StartWith(Node + "-"));
        AssertArchiveMatches(archive, host, NodeHostFixture.Files);
        Assert.That(Text(archive, "manifest.txt"), Does.Contain($"# source: node {Node} (through pod default/app-node-0-example-com-debug)"));
        var changes = Audit().Skip(before).Where(a => a.Resource == "pods" && a.Subresource is null).ToList();
        Assert.That(changes.Select(a => a.Verb), Is.EqualTo(new[] { "create", "delete" }));
        var pod = changes[0].Body!;
        Assert.That((string?)pod["spec"]!["nodeName"], Is.EqualTo(Node));
        Assert.That((bool?)pod["spec"]!["containers"]![0]!["securityContext"]!["privileged"], Is.True);
        Assert.That((string?)pod["spec"]!["volumes"]![0]!["hostPath"]!["path"], Is.EqualTo("/"));
        Assert.That((string?)pod["spec"]!["containers"]![0]!["volumeMounts"]![0]!["mountPath"], Is.EqualTo("/host"));
        Assert.That((await _client.CoreV1.ListNamespacedPodAsync("default")).Items, Is.Empty, "the debug pod is gone");
    }

    [Test]
    public async Task A_stream_cut_on_a_node_fails_the_step_leaves_no_archive_and_deletes_the_pod()
    {
        using var workspace = Workspace();
        NodeHostFixture.Write(NodeFilesystem());
        _cluster.Faults.ExecCuts.Add(new ExecCut("-debug$", 6000));
        HostRun run;
        try
        {
            run = workspace.Run("--cluster=test", "--target=NodeConfigBackup", $"--node={Node}");
        }
        finally
        {
            _cluster.Faults.ExecCuts.Clear();
        }

        Assert.That(run.ExitCode, Is.EqualTo(1), run.Output + run.Error);
        Assert.That(run.Output + run.Error, Does.Contain("No archive was written"));
        var folder = Path.Combine(workspace.Folder, "backups");
        Assert.That(Directory.Exists(folder) ? Directory.GetFiles(folder) : [], Is.Empty, "no archive, no partial file");
        Assert.That((await _client.CoreV1.ListNamespacedPodAsync("default")).Items, Is.Empty, "the debug pod is deleted on failure too");
    }

    [Test]
    public void An_unknown_node_is_refused_with_one_line_exit_2_and_no_change()
    {
        using var workspace = Workspace();
        var before = Audit().Count;

        var run = workspace.Run("--cluster=test", "--target=NodeConfigBackup", "--node=no-such-node");

        AssertRefused(run, "Node 'no-such-node' not found");
        Assert.That(Audit().Skip(before), Is.Empty, "nothing was created");
    }

    [TestCase("file")]
    [TestCase("missing")]
    public void A_root_that_is_not_a_folder_is_refused_with_one_line_exit_2(string what)
    {
        using var workspace = Workspace();
        var path = Path.Combine(workspace.Folder, "not-a-root");
        if (what == "file") File.WriteAllText(path, "x");

        var run = workspace.Run("--cluster=test", "--target=NodeConfigBackup", $"--root={path}");

        AssertRefused(run, $"--root={path} is not a folder");
        Assert.That(Directory.Exists(Path.Combine(workspace.Folder, "backups")), Is.False);
    }

    [Test]
    public void A_root_without_etc_origin_node_is_not_a_node_host_and_is_refused()
    {
        using var workspace = Workspace();
        var host = NewRoot();
        NodeHostFixture.Write(host, "etc/origin/node");

        var run = workspace.Run("--cluster=test", "--target=NodeConfigBackup", $"--root={host}");

        AssertRefused(run, "has no /etc/origin/node");
        Assert.That(Directory.GetFiles(Path.Combine(workspace.Folder, "backups")), Is.Empty);
    }

    [Test]
    public void Node_and_root_together_are_refused()
    {
        using var workspace = Workspace();

        var run = workspace.Run("--cluster=test", "--target=NodeConfigBackup", $"--node={Node}", "--root=/");

        AssertRefused(run, "--node and --root exclude each other");
    }

    [Test]
    public void An_existing_archive_is_never_overwritten()
    {
        using var workspace = Workspace();
        var host = NewRoot();
        NodeHostFixture.Write(host);
        Assert.That(workspace.Run("--cluster=test", "--target=NodeConfigBackup", $"--root={host}").ExitCode, Is.EqualTo(0));
        var archive = SingleArchive(workspace);
        var hash = File.ReadAllBytes(archive);

        var run = workspace.Run("--cluster=test", "--target=NodeConfigBackup", $"--root={host}");

        AssertRefused(run, "already exists");
        Assert.That(File.ReadAllBytes(archive), Is.EqualTo(hash));
    }

    [Test]
    public void Dry_run_names_the_pod_and_the_archive_and_creates_nothing()
    {
        using var workspace = Workspace();
        var before = Audit().Count;

        var run = workspace.Run("--cluster=test", "--target=NodeConfigBackup", $"--node={Node}", "--dryrun");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output + run.Error);
        Assert.That(run.Output, Does.Contain($"create pod default/app-node-0-example-com-debug on node {Node}")
            .And.Contain($"{Node}-{DateTime.UtcNow:yyyyMMdd}.tar.gz"));
        Assert.That(Audit().Skip(before), Is.Empty);
    }

    private static void AssertRefused(HostRun run, string expected)
    {
        Assert.That(run.ExitCode, Is.EqualTo(2), run.Output + run.Error);
        Assert.That(run.Error.Trim().Split('\n'), Has.Length.EqualTo(1), run.Error);
        Assert.That(run.Error, Does.StartWith("error: ").And.Contain(expected));
    }

    private static void AssertArchiveMatches(string archive, string host, string[] files)
    {
        Assert.That(File.GetUnixFileMode(archive), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite), "archive mode 0600");
        var sha = File.ReadAllText(archive + ".sha256");
        Assert.That(sha, Is.EqualTo($"{Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(archive)))}  {Path.GetFileName(archive)}\n"));
        Assert.That(Directory.GetFiles(Path.GetDirectoryName(archive)!, ".*"), Is.Empty, "no temporary file left");

        var entries = Entries(archive);
        var regular = entries.Where(e => e.Type is TarEntryType.RegularFile or TarEntryType.V7RegularFile).Select(e => e.Name).ToList();
        Assert.That(regular, Is.EquivalentTo(files.Append("packages.txt").Append("manifest.txt")));
        foreach (var file in files)
        {
            var entry = entries.Single(e => e.Name == file);
            var local = Path.Combine(host, file);
            Assert.That(entry.Mode, Is.EqualTo(NodeHostFixture.ModeOf(file)), $"mode of {file}");
            Assert.That(entry.Uid, Is.EqualTo(NodeHostFixture.OwnerOf(local)), $"owner of {file}");
            Assert.That(entry.MTime.UtcDateTime, Is.EqualTo(NodeHostFixture.MTime), $"mtime of {file}");
            Assert.That(entry.Content, Is.EqualTo(File.ReadAllText(local)), $"content of {file}");
        }
        if (files.Contains(NodeHostFixture.OwnedFile) && Environment.UserName == "root")
            Assert.That(entries.Single(e => e.Name == NodeHostFixture.OwnedFile).Uid, Is.EqualTo(1234), "a non-root owner is kept");
        Assert.That(entries.Select(e => e.Name), Has.Some.EqualTo("etc/origin/node/"), "folders are archived with their mode");

        var packages = Text(archive, "packages.txt").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(packages[0], Does.StartWith("# rpm is absent on this host"));
        Assert.That(packages.Skip(1), Is.EqualTo(NodeHostFixture.Packages));
    }

    private sealed record Entry(string Name, TarEntryType Type, UnixFileMode Mode, int Uid, DateTimeOffset MTime, string Content);

    private static List<Entry> Entries(string archive)
    {
        using var file = File.OpenRead(archive);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new TarReader(gzip);
        var entries = new List<Entry>();
        while (reader.GetNextEntry() is { } e)
        {
            var content = e.DataStream is null ? "" : new StreamReader(e.DataStream, Encoding.UTF8).ReadToEnd();
            entries.Add(new Entry(e.Name, e.EntryType, e.Mode, (e as PosixTarEntry)?.Uid ?? -1, e.ModificationTime, content));
        }
        return entries;
    }

    private static string Text(string archive, string name) => Entries(archive).Single(e => e.Name == name).Content;

    private static string SingleArchive(HostWorkspace workspace)
    {
        var archives = Directory.GetFiles(Path.Combine(workspace.Folder, "backups"), "*.tar.gz");
        Assert.That(archives, Has.Length.EqualTo(1));
        Assert.That(Path.GetFileName(archives[0]), Does.Match(@"^app-node-0\.example\.com-\d{8}\.tar\.gz$"));
        return archives[0];
    }

    private HostWorkspace Workspace()
    {
        var workspace = new HostWorkspace();
        workspace.WriteKubeconfigProfile("test", _cluster.KubeconfigPath, "timeouts: { default: 60s, podReady: 60s }\nbackups: { folder: backups }\nopenshift: {}\n");
        return workspace;
    }

    private string NewRoot()
    {
        var path = Path.Combine(_root, "hosts", Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(path);
        return path;
    }

    // The simulated node's filesystem: the runtime's folder for hostPath "/", emptied for each test.
    private string NodeFilesystem()
    {
        var path = Path.Combine(SimulatedClusterBuilder.RuntimeFolderOf(_root), "hostpath");
        if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
        Directory.CreateDirectory(path);
        return path;
    }

    private List<Vantiq.AuditLine> Audit() =>
        File.Exists(_cluster.AuditLogPath)
            ? File.ReadAllLines(_cluster.AuditLogPath).Where(l => l.Length > 0).Select(l => new Vantiq.AuditLine(JsonNode.Parse(l)!.AsObject())).ToList()
            : [];
}

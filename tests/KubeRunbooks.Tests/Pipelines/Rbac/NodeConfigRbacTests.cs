using KubeRunbooks.Simulator.Scenarios;
using KubeRunbooks.Simulator.Server;
using KubeRunbooks.Tests.OpenShift;
using KubeRunbooks.Tests.Support;

namespace KubeRunbooks.Tests.Pipelines.Rbac;

/// <summary>
/// NodeConfigBackup --node run by the service account holding exactly <c>rbac/openshift-node-config.yaml</c> (a
/// ClusterRole to read the node, a Role for the debug pod) on an RBAC-enforcing cluster: it passes; without deleting
/// pods it is refused before the debug pod is made, exit 2.
/// </summary>
[TestFixture]
[NonParallelizable]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class NodeConfigRbacTests
{
    private const string Manifest = "openshift-node-config.yaml";
    private string _root = null!;
    private SimulatedCluster _cluster = null!;
    private HostWorkspace _workspace = null!;
    private RbacAccount _account = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _root = Path.Combine(Path.GetTempPath(), "kr-rbac-node-" + Guid.NewGuid().ToString("N")[..8]);
        _cluster = await SimulatedClusterBuilder.StartAsync(Scenario.Load("openshift"), _root, new ScenarioClusterSettings { ReadinessDelay = TimeSpan.Zero, EnforceRbac = true });
        _workspace = new HostWorkspace();
        _workspace.WriteKubeconfigProfile("test", _cluster.KubeconfigPath, "timeouts: { default: 60s, podReady: 60s }\nbackups: { folder: backups }\nopenshift: {}\n");
        var host = Path.Combine(SimulatedClusterBuilder.RuntimeFolderOf(_root), "hostpath");
        Directory.CreateDirectory(host);
        NodeHostFixture.Write(host);
        _account = await RbacAccount.CreateAsync(_cluster, _workspace);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _workspace.Dispose();
        await _cluster.DisposeAsync();
        try { Directory.Delete(_root, recursive: true); }
        catch (IOException) { /* a leftover temp folder is harmless */ }
    }

    [Test, Order(1)]
    public async Task A_node_is_read_with_exactly_its_role()
    {
        await _account.GrantExactlyAsync(RbacAccount.Manifest(Manifest));
        var mark = _account.Mark();

        var run = _workspace.Run("--cluster=rbac", "--target=NodeConfigBackup", $"--node={NodeHostFixture.HostName}");

        RbacAssert.Passed(run, _account, mark);
        Assert.That(Directory.GetFiles(Path.Combine(_workspace.Folder, "backups"), "*.tar.gz"), Has.Length.EqualTo(1));
    }

    [Test, Order(2)]
    public async Task Without_deleting_pods_it_is_refused_before_the_debug_pod_is_made()
    {
        await _account.GrantExactlyAsync(RbacAccount.Without(Manifest, "verbs: [\"get\", \"list\", \"watch\", \"create\", \"delete\"]", "verbs: [\"get\", \"list\", \"watch\", \"create\"]"));
        var mark = _account.Mark();

        var run = _workspace.Run("--cluster=rbac", "--target=NodeConfigBackup", $"--node={NodeHostFixture.HostName}");

        RbacAssert.Refused(run, "NodeConfigBackup", Manifest, "delete pods in namespace default", _account, mark);
    }

    [Test, Order(3)]
    public async Task Without_node_the_host_itself_is_read_and_no_rule_is_asked()
    {
        // Not even the node role: a host run needs no cluster permission.
        await _account.GrantExactlyAsync(RbacAccount.Without(Manifest, "resources: [\"nodes\"]\n    verbs: [\"get\"]", "resources: [\"namespaces\"]\n    verbs: [\"get\"]"));
        // The node run's archive has this host's name and date: a backup is never overwritten.
        var backups = Path.Combine(_workspace.Folder, "backups");
        if (Directory.Exists(backups)) Directory.Delete(backups, recursive: true);
        var host = Path.Combine(_root, "host-root");
        Directory.CreateDirectory(host);
        NodeHostFixture.Write(host);
        var mark = _account.Mark();

        var run = _workspace.Run("--cluster=rbac", "--target=NodeConfigBackup", $"--root={host}");

        Assert.That(run.ExitCode, Is.Zero, run.Output + run.Error);
        Assert.That(_account.Requests(mark), Is.Empty, "a host run asks the cluster nothing");
    }
}

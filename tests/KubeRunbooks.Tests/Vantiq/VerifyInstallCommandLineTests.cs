using k8s;
using k8s.Models;
using KubeRunbooks.Tests.Support;

namespace KubeRunbooks.Tests.Vantiq;

/// <summary>
/// VerifyInstall through the built host: passing on the standard install (the startup key saved, mode 0600, never
/// printed), failing with a pod on the wrong node, a log without the key and a pod that is not ready.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class VerifyInstallCommandLineTests
{
    private VantiqWorld _world = null!;
    private string _sensitive = null!;
    private readonly List<HostRun> _runs = [];

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _world = await VantiqWorld.StartAsync();
        _sensitive = Path.Combine(_world.Workspace.Folder, "sensitive");
        _world.WriteProfile($"  sensitiveFolder: {_sensitive}\n");
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _world.DisposeAsync();

    private HostRun Run()
    {
        var run = _world.Run("--target=VerifyInstall");
        _runs.Add(run);
        return run;
    }

    private string KeyPath => Path.Combine(_sensitive, "vantiq-startup.key");

    [Test]
    [Order(1)]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void The_standard_install_passes_and_the_key_is_saved_but_never_printed()
    {
        var run = Run();

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output + run.Error);
        Assert.That(run.Output, Does.Contain("PASS pods ready").And.Contain("PASS startup key").And.Contain("PASS pods on their nodes").And.Contain("PASS load balancer names"));
        var key = File.ReadAllText(KeyPath).Trim();
        Assert.That(key, Has.Length.GreaterThanOrEqualTo(20));
        Assert.That(File.GetUnixFileMode(KeyPath), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        Assert.That(run.Output, Does.Contain(KeyPath), "the report says where the key went");
        var reports = _world.Workspace.RunFolders.SelectMany(f => Directory.GetFiles(f, "*", SearchOption.AllDirectories)).Select(File.ReadAllText);
        // Nor in the API server's audit log (every request body and exec's argv).
        var audit = File.ReadAllText(_world.Cluster.AuditLogPath);
        Assert.That(reports.Append(run.Output).Append(run.Error).Append(audit).Where(t => t.Contains(key, StringComparison.Ordinal)), Is.Empty, "the key never appears in output, reports or the audit log");
    }

    [Test]
    [Order(2)]
    public void A_pod_on_the_wrong_node_fails()
    {
        _world.WriteProfile($"  sensitiveFolder: {_sensitive}\n  nodePlacement:\n    vantiq: node-a,node-b\n");
        try
        {
            var run = Run();

            Assert.That(run.ExitCode, Is.EqualTo(1), run.Output + run.Error);
            Assert.That(run.Output + run.Error, Does.Contain("FAIL pods on their nodes").And.Contain("vantiq-0 is on").And.Contain("expected node-a,node-b"));
            Assert.That(run.Output, Does.Contain("PASS pods ready"), "the other checks still run");
        }
        finally
        {
            _world.WriteProfile($"  sensitiveFolder: {_sensitive}\n");
        }
    }

    private async Task SetServerEnvAsync(string name)
    {
        var patch = new System.Text.Json.Nodes.JsonObject
        {
            ["spec"] = new System.Text.Json.Nodes.JsonObject
            {
                ["template"] = new System.Text.Json.Nodes.JsonObject
                {
                    ["spec"] = new System.Text.Json.Nodes.JsonObject
                    {
                        ["containers"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject
                        {
                            ["name"] = "vantiq",
                            ["env"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["name"] = name, ["value"] = "1" }),
                        }),
                    },
                },
            },
        }.ToJsonString();
        await _world.Client.AppsV1.PatchNamespacedStatefulSetAsync(new V1Patch(patch, V1Patch.PatchType.StrategicMergePatch), "vantiq", "vantiq");
    }

    private static Task WaitAsync(Func<Task<bool>> condition, string what) => Eventually.UntilAsync(condition, what, TimeSpan.FromSeconds(60));

    [Test]
    [Order(3)]
    public async Task A_log_without_the_key_fails()
    {
        await SetServerEnvAsync("SIM_NO_KEY");
        await WaitAsync(async () =>
        {
            var s = await _world.StatefulSetAsync("vantiq");
            return s.Status.ObservedGeneration >= s.Metadata.Generation && s.Status.UpdateRevision == s.Status.CurrentRevision
                && s.Status.UpdatedReplicas == 3 && s.Status.ReadyReplicas == 3;
        }, "vantiq to roll out without the key");

        var run = Run();

        Assert.That(run.ExitCode, Is.EqualTo(1), run.Output + run.Error);
        Assert.That(run.Output + run.Error, Does.Contain("FAIL startup key").And.Contain("no key between asterisk lines"));
    }

    [Test]
    [Order(4)]
    public async Task A_pod_that_is_not_ready_fails()
    {
        await SetServerEnvAsync("SIM_CRASH");
        await WaitAsync(async () =>
        {
            var pods = await _world.Client.CoreV1.ListNamespacedPodAsync("vantiq", labelSelector: "app=vantiq");
            return pods.Items.Any(p => p.Status?.ContainerStatuses?.Any(c => !c.Ready) == true || p.Status?.Phase != "Running");
        }, "a vantiq pod to be not ready");

        var run = Run();

        Assert.That(run.ExitCode, Is.EqualTo(1), run.Output + run.Error);
        Assert.That(run.Output + run.Error, Does.Contain("FAIL pods ready").And.Contain("vantiq/vantiq-"));
    }

    [Test]
    [Order(5)]
    public void RebalancePods_to_a_node_the_cluster_does_not_have_is_refused_and_changes_nothing()
    {
        var before = _world.Audit().Count;

        var run = _world.Run("--target=RebalancePods", "--node=node-a");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.Output + run.Error);
        // The simulated cluster has its default node only: the refusal names the nodes there are.
        Assert.That(run.Error, Is.EqualTo("error: --node=node-a: no such node (nodes: simulated-node).\n"));
        Assert.That(_world.Audit().Skip(before), Is.Empty);
    }
}

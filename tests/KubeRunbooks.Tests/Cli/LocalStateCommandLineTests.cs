using System.Diagnostics;
using System.Text.Json.Nodes;
using KubeRunbooks.Simulator.Scenarios;
using KubeRunbooks.Simulator.State;
using KubeRunbooks.Simulator.Store;
using KubeRunbooks.Tests.Frosting;
using KubeRunbooks.Tests.Simulator.Api;
using KubeRunbooks.Tests.Support;

namespace KubeRunbooks.Tests.Cli;

/// <summary>
/// The simulated cluster keeps its state between runs, through the command line: each run is a new host process on
/// a profile whose <c>simulator.stateFolder</c> is a folder of the (shared) workspace. Changes made in one process
/// are seen by the next, ResetLocalCluster puts the scenario back, a corrupt state file is refused, a second run
/// waits for or is refused by the first, and a SIGKILL loses no accepted change.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class LocalStateCommandLineTests
{
    private const string Profile = "sim";
    private HostWorkspace _workspace = null!;
    private string _state = null!;

    private string StateFilePath => Path.Combine(_state, StateFile.FileName);

    private string BackupClaimFolder =>
        SimulatedClusterBuilder.ClaimFolderOf(Path.Combine(_state, LocalClusterState.RuntimeFolderName), "vantiq", "mongobackup");

    [OneTimeSetUp]
    public void CreateWorkspace()
    {
        _workspace = new HostWorkspace();
        _state = Path.Combine(_workspace.Folder, "state-sim");
        _workspace.WriteProfile(Profile, $"connection:\n  simulator:\n    scenario: vantiq\n    stateFolder: {_state}\nvantiq: {{}}\n");
        // A short lock wait, so that the refused second run does not keep the suite waiting.
        File.AppendAllText(Path.Combine(_workspace.Folder, "cake.config"), "[Timeouts]\nLocalClusterLock=00:00:01\n");
    }

    [OneTimeTearDown]
    public void DropWorkspace() => _workspace.Dispose();

    // Each test starts from the scenario's initial state (through the state layer, not a host process: faster).
    [SetUp]
    public void ResetState()
    {
        using var state = LocalClusterState.Open(_state, TimeSpan.FromSeconds(30));
        state.Reset(Scenario.Load("vantiq").Seed);
    }

    [Test]
    public async Task A_change_made_in_one_process_is_seen_by_ClusterInfo_in_the_next_with_versions_increasing()
    {
        Kubectl.RequireInstalled();
        var kubeconfig = Path.Combine(_workspace.Folder, "kubeconfig-change");
        string stsVersion;
        using (var simulate = StartHost("--cluster=" + Profile, "--target=Simulate", "--state=" + Profile, $"--kubeconfig-out={kubeconfig}"))
        {
            try
            {
                await WaitForLineAsync(simulate, "Kubeconfig: ");
                var kubectl = new Kubectl(kubeconfig, Path.Combine(_workspace.Folder, "kubectl-cache"));
                (await kubectl.RunAsync("scale", "sts", "-n", "vantiq", "vision-analytics", "--replicas=1")).EnsureSuccess();
                (await kubectl.RunAsync("set", "image", "-n", "vantiq", "sts/metrics-collector", "metrics-collector=quay.io/vantiq/vantiq-server:1.31.0")).EnsureSuccess();
                stsVersion = (await kubectl.RunAsync("get", "sts", "-n", "vantiq", "metrics-collector", "-o", "jsonpath={.metadata.resourceVersion}")).EnsureSuccess().Stdout.Trim();

                // A second run while the first holds the cluster: refused after the (1 s) wait, one line, exit 3.
                var refused = _workspace.Run("--cluster=" + Profile, "--target=ClusterInfo");
                Assert.That(refused.ExitCode, Is.EqualTo(3), refused.Output + refused.Error);
                Assert.That(refused.Error.Trim().Split('\n'), Has.Length.EqualTo(1), refused.Error);
                Assert.That(refused.Error, Does.StartWith("error: Another run holds the local cluster").And.Contain(_state));
            }
            finally
            {
                Terminate(simulate);
            }

            Assert.That(simulate.ExitCode, Is.EqualTo(0), "Simulate stops on SIGTERM");
        }

        var afterSimulate = StateFile.Read(StateFilePath)!;
        var run = _workspace.Run("--cluster=" + Profile, "--target=ClusterInfo");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output + run.Error);
        Assert.That(run.Output, Does.Contain("vantiq/vision-analytics (StatefulSet): ").And.Contain("/1 ready, normal 2"));
        Assert.That(run.Output, Does.Contain("container metrics-collector: quay.io/vantiq/vantiq-server:1.31.0"));
        var afterClusterInfo = StateFile.Read(StateFilePath)!;
        Assert.That(afterSimulate.ResourceVersion, Is.GreaterThan(long.Parse(stsVersion)));
        Assert.That(afterClusterInfo.ResourceVersion, Is.GreaterThan(afterSimulate.ResourceVersion), "the next run's changes (pods started again) continue the counter");
        var sts = Find(afterClusterInfo, "StatefulSet", "metrics-collector");
        Assert.That(ObjectStore.ParseVersion(sts), Is.GreaterThanOrEqualTo(long.Parse(stsVersion)), "the StatefulSet's version never goes back");
        foreach (var before in afterSimulate.Objects)
        {
            var after = afterClusterInfo.Objects.SingleOrDefault(o => (string?)o["metadata"]?["uid"] == (string?)before["metadata"]?["uid"]);
            if (after is not null)
            {
                Assert.That(ObjectStore.ParseVersion(after), Is.GreaterThanOrEqualTo(ObjectStore.ParseVersion(before)), $"{before["kind"]} {before["metadata"]?["name"]}");
            }
        }

        Assert.That(afterClusterInfo.Objects.Max(ObjectStore.ParseVersion), Is.GreaterThan(afterSimulate.ResourceVersion), "objects changed in the next run get versions above the previous run's");
        Assert.That((string?)sts["spec"]!["template"]!["spec"]!["containers"]![0]!["image"], Is.EqualTo("quay.io/vantiq/vantiq-server:1.31.0"));
    }

    [Test]
    public void ResetLocalCluster_puts_the_scenario_back_and_wipes_the_PVC_folders()
    {
        long changedVersion;
        using (var state = LocalClusterState.Open(_state, TimeSpan.FromSeconds(5)))
        {
            var store = state.LoadOrSeed(_ => Assert.Fail("the state exists"));
            store.Mutate(ResourceCatalog.StatefulSets, "vantiq", "vision-analytics", sts =>
            {
                sts["spec"]!["replicas"] = 5;
                sts["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = "quay.io/vantiq/vision-analytics:9.9.9";
                return sts;
            });
            changedVersion = store.Snapshot().ResourceVersion;
        }

        Directory.CreateDirectory(BackupClaimFolder);
        File.WriteAllText(Path.Combine(BackupClaimFolder, "old-backup.gz"), "data of the previous run");

        var run = _workspace.Run("--cluster=" + Profile, "--target=ResetLocalCluster");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output + run.Error);
        Assert.That(run.Output, Does.Contain("scenario 'vantiq'"));
        var reset = StateFile.Read(StateFilePath)!;
        var sts = Find(reset, "StatefulSet", "vision-analytics");
        Assert.Multiple(() =>
        {
            Assert.That((int?)sts["spec"]!["replicas"], Is.EqualTo(2));
            Assert.That((string?)sts["spec"]!["template"]!["spec"]!["containers"]![0]!["image"], Is.EqualTo("quay.io/vantiq/vision-analytics:1.30.10"));
            Assert.That(reset.ResourceVersion, Is.GreaterThan(changedVersion), "versions keep increasing across a reset");
            Assert.That(ObjectStore.ParseVersion(sts), Is.GreaterThan(changedVersion));
            Assert.That(File.Exists(Path.Combine(BackupClaimFolder, "old-backup.gz")), Is.False, "the PVC folders are wiped");
            Assert.That(reset.Objects.Where(o => (string?)o["kind"] == "Pod"), Is.Empty, "no pod of the previous run is left");
        });
    }

    [Test]
    public void ResetLocalCluster_refuses_an_unknown_scenario_and_a_real_cluster_with_one_line_changing_nothing()
    {
        var before = File.ReadAllBytes(StateFilePath);
        var unknown = _workspace.Run("--cluster=" + Profile, "--target=ResetLocalCluster", "--scenario=nosuch");

        Assert.That(unknown.ExitCode, Is.EqualTo(2), unknown.Output + unknown.Error);
        Assert.That(unknown.Error.Trim().Split('\n'), Has.Length.EqualTo(1), unknown.Error);
        Assert.That(unknown.Error, Does.Contain("nosuch"));
        Assert.That(File.ReadAllBytes(StateFilePath), Is.EqualTo(before));

        var kubeconfig = Path.Combine(_workspace.Folder, "kubeconfig-real");
        File.WriteAllText(kubeconfig, """
            apiVersion: v1
            kind: Config
            clusters: [{ name: real, cluster: { server: "https://127.0.0.1:1" } }]
            users: [{ name: real, user: { token: not-a-secret } }]
            contexts: [{ name: real, context: { cluster: real, user: real } }]
            current-context: real
            """);
        _workspace.WriteKubeconfigProfile("real", kubeconfig);
        var real = _workspace.Run("--cluster=real", "--target=ResetLocalCluster");

        Assert.That(real.ExitCode, Is.EqualTo(2), real.Output + real.Error);
        Assert.That(real.Error.Trim().Split('\n'), Has.Length.EqualTo(1), real.Error);
        Assert.That(real.Error, Does.Contain("'real'").And.Contain("ResetLocalCluster"));
    }

    [Test]
    public void A_corrupt_state_file_is_refused_with_one_line_naming_ResetLocalCluster_and_left_as_it_was()
    {
        var bytes = File.ReadAllBytes(StateFilePath);
        bytes[bytes.Length / 2] ^= 0x20; // One flipped bit in the middle: the checksum no longer matches.
        File.WriteAllBytes(StateFilePath, bytes);

        var run = _workspace.Run("--cluster=" + Profile, "--target=ClusterInfo");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.Output + run.Error);
        var lines = run.Error.Trim().Split('\n');
        Assert.That(lines, Has.Length.EqualTo(1), run.Error);
        Assert.That(lines[0], Does.StartWith("error: ").And.Contain(StateFilePath).And.Contain("ResetLocalCluster"));
        Assert.That(File.ReadAllBytes(StateFilePath), Is.EqualTo(bytes), "the refused file is left as it was");

        var reset = _workspace.Run("--cluster=" + Profile, "--target=ResetLocalCluster");
        Assert.That(reset.ExitCode, Is.EqualTo(0), reset.Output + reset.Error);
        var again = _workspace.Run("--cluster=" + Profile, "--target=ClusterInfo");
        Assert.That(again.ExitCode, Is.EqualTo(0), again.Output + again.Error);
        Assert.That(again.Output, Does.Contain("vantiq/vision-analytics (StatefulSet): ").And.Contain("normal 2"));
    }

    [Test]
    public async Task A_second_run_waits_for_the_first_and_then_runs()
    {
        var kubeconfig = Path.Combine(_workspace.Folder, "kubeconfig-wait");
        using var simulate = StartHost("--cluster=" + Profile, "--target=Simulate", "--state=" + Profile, $"--kubeconfig-out={kubeconfig}");
        Process? waiter = null;
        try
        {
            await WaitForLineAsync(simulate, "Kubeconfig: ");
            waiter = StartHost("--cluster=" + Profile, "--target=ClusterInfo", "--timeouts_localclusterlock=00:02:00");
            await WaitForLineAsync(waiter, "Another run holds the local cluster", drain: false);
            Terminate(simulate);
            Assert.That(simulate.ExitCode, Is.EqualTo(0));

            var output = await waiter.StandardOutput.ReadToEndAsync();
            Assert.That(waiter.WaitForExit(TimeSpan.FromMinutes(2)), Is.True, "the waiting run ends");
            Assert.That(waiter.ExitCode, Is.EqualTo(0), output);
            Assert.That(output, Does.Contain("vantiq/metrics-collector (StatefulSet)"));
        }
        finally
        {
            Terminate(simulate);
            if (waiter is not null)
            {
                if (!waiter.HasExited) waiter.Kill(entireProcessTree: true);
                waiter.Dispose();
            }
        }
    }

    [Test]
    public async Task A_run_killed_with_SIGKILL_keeps_every_accepted_change_and_the_rerun_loads()
    {
        Kubectl.RequireInstalled();
        var kubeconfig = Path.Combine(_workspace.Folder, "kubeconfig-kill");
        // In its own process group, so that the container processes the killed host leaves behind can be ended too.
        using var simulate = StartHost(ownGroup: true, "--cluster=" + Profile, "--target=Simulate", "--state=" + Profile, $"--kubeconfig-out={kubeconfig}");
        try
        {
            await WaitForLineAsync(simulate, "Kubeconfig: ");
            var kubectl = new Kubectl(kubeconfig, Path.Combine(_workspace.Folder, "kubectl-cache"));
            (await kubectl.RunAsync("scale", "sts", "-n", "vantiq", "vision-analytics", "--replicas=4")).EnsureSuccess();
            // Killed while the StatefulSet controller is creating and starting the new pods (writes in flight).
            Signal("-KILL", simulate.Id.ToString());
            Assert.That(simulate.WaitForExit(TimeSpan.FromSeconds(30)), Is.True);

            // The rerun (while the killed host's containers still run) gets the folder and loads the state.
            var run = _workspace.Run("--cluster=" + Profile, "--target=ClusterInfo");

            Assert.That(run.ExitCode, Is.EqualTo(0), run.Output + run.Error);
            Assert.That(run.Output, Does.Contain("/4 ready, normal 2"), "the scale accepted before the kill was kept");
            Assert.That(File.Exists(StateFilePath + ".tmp"), Is.False, "the rerun's writes replaced any leftover temporary file");
        }
        finally
        {
            Signal("-KILL", "--", "-" + simulate.Id);
        }
    }

    private static JsonObject Find(StoreSnapshot snapshot, string kind, string name) =>
        snapshot.Objects.Single(o => (string?)o["kind"] == kind && (string?)o["metadata"]?["name"] == name);

    private Process StartHost(params string[] args) => StartHost(false, args);

    private Process StartHost(bool ownGroup, params string[] args)
    {
        var start = new ProcessStartInfo(ownGroup ? "setsid" : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _workspace.Folder,
        };
        start.Environment["NO_COLOR"] = "1";
        if (ownGroup)
        {
            start.ArgumentList.Add("dotnet");
        }

        start.ArgumentList.Add(RepositoryPaths.HostDll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitForLineAsync(Process process, string prefix, bool drain = true)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (await process.StandardOutput.ReadLineAsync(cancel.Token) is { } line)
        {
            if (HostOutcome.StripAnsi(line).TrimStart().StartsWith(prefix, StringComparison.Ordinal))
            {
                if (drain)
                {
                    // Keep draining stdout so the host never blocks on a full pipe.
                    _ = process.StandardOutput.ReadToEndAsync();
                }

                return;
            }
        }

        Assert.Fail($"the host ended before printing '{prefix}'");
    }

    private static void Terminate(Process process)
    {
        if (!process.HasExited)
        {
            Signal("-TERM", process.Id.ToString());
        }

        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("the host did not stop on SIGTERM");
        }
    }

    private static void Signal(params string[] args)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", args) { RedirectStandardError = true, UseShellExecute = false })!;
        kill.WaitForExit();
    }
}

using System.Diagnostics;
using KubeRunbooks.Tests.Frosting;
using KubeRunbooks.Tests.Support;
using static KubeRunbooks.Tests.Vantiq.MinorUpgradeCommandLineTests;

namespace KubeRunbooks.Tests.Vantiq;

/// <summary>
/// A newcomer's session on the embedded <c>local</c> cluster (no --cluster): each command is a new process that
/// sees what the previous one left in the state folder, as with kind or minikube.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class LocalClusterSessionTests
{
    private HostWorkspace _workspace = null!;
    private string _state = null!;

    [SetUp]
    public void CreateWorkspace()
    {
        _workspace = new HostWorkspace();
        _state = Path.Combine(_workspace.Folder, "state-local");
        _workspace.WriteProfile("local",
            $"connection:\n  simulator:\n    scenario: vantiq\n    stateFolder: {_state}\n" +
            $"vantiq:\n  restoreCommand: '{VantiqWorld.RestoreCommand}'\n");
    }

    [TearDown]
    public void DropWorkspace()
    {
        KillContainersUnder(_state);
        _workspace.Dispose();
    }

    [Test]
    public void UpgradeMinor_then_RollbackMinor_then_ClusterInfo_as_three_processes()
    {
        var upgrade = _workspace.Run("--target=UpgradeMinor", "--to=1.31.0");
        Assert.That(upgrade.ExitCode, Is.EqualTo(0), upgrade.Output + upgrade.Error);
        var backupId = Facts(upgrade.ReportFolder!)["backupId"];

        var rollback = _workspace.Run("--target=RollbackMinor");
        Assert.That(rollback.ExitCode, Is.EqualTo(0), rollback.Output + rollback.Error);
        var facts = Facts(rollback.ReportFolder!);
        Assert.That(facts["versionBefore"], Is.EqualTo("1.31.0"), "the rollback saw the upgrade's version");
        Assert.That(facts["versionAfter"], Is.EqualTo("1.30.10"));
        Assert.That(facts["restoredBackup"], Is.EqualTo(backupId), "the backup taken by the first run is the one restored by the second");

        var info = _workspace.Run("--target=ClusterInfo");
        Assert.That(info.ExitCode, Is.EqualTo(0), info.Output + info.Error);
        Assert.That(info.Output, Does.Contain("Vantiq version: 1.30.10"));
        Assert.That(info.Output, Does.Contain("container vantiq: quay.io/vantiq/vantiq-server:1.30.10"));
    }

    [Test]
    public async Task A_SIGKILL_during_UpgradeMinor_is_followed_by_a_rerun_that_completes()
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, WorkingDirectory = _workspace.Folder, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["NO_COLOR"] = "1";
        foreach (var arg in new[] { RepositoryPaths.HostDll, "--target=UpgradeMinor", "--to=1.31.0" }) start.ArgumentList.Add(arg);
        using (var host = Process.Start(start)!)
        {
            host.OutputDataReceived += (_, _) => { };
            host.ErrorDataReceived += (_, _) => { };
            host.BeginOutputReadLine();
            host.BeginErrorReadLine();
            // Killed right after the image changed: stopped, backed up, deployed, migration under way.
            await Eventually.UntilAsync(() =>
            {
                if (host.HasExited) Assert.Fail($"the upgrade ended ({host.ExitCode}) before its deploy");
                return Audit().Any(a => a.IsImageChange && a.Name == "vantiq");
            }, "the upgrade reaches its deploy (vantiq's image changes)", TimeSpan.FromSeconds(90));
            host.Kill();
            host.WaitForExit();
        }

        var rerun = _workspace.Run("--target=UpgradeMinor", "--to=1.31.0");

        Assert.That(rerun.ExitCode, Is.EqualTo(0), rerun.Output + rerun.Error);
        Assert.That(rerun.Output, Does.Contain("Resuming the unfinished UpgradeMinor 1.30.10 -> 1.31.0"));
        Assert.That(rerun.Output, Does.Contain("Taking over the lock of run"), "the killed run's lock is taken over at once");
        Assert.That(Audit().Count(a => a.Resource == "jobs" && a.Verb == "create"), Is.EqualTo(1), "one backup over both runs");
        Assert.That(Facts(rerun.ReportFolder!)["replicasRestored"], Is.EqualTo("vantiq 3, metrics-collector 1, vision-analytics 2"));
    }

    [Test]
    public void RenewSslCertificate_on_the_embedded_cluster_sees_its_ingress_serve_each_new_leaf()
    {
        using var pki = new KubeRunbooks.Tests.Certificates.TestPki();
        var sensitive = Path.Combine(_workspace.Folder, "sensitive");
        // As clusters/local.yaml names it: the embedded cluster's ingress, whose port is chosen each run.
        _workspace.WriteProfile("local",
            $"connection:\n  simulator:\n    scenario: vantiq\n    stateFolder: {_state}\n" +
            $"vantiq:\n  restoreCommand: '{VantiqWorld.RestoreCommand}'\n  sensitiveFolder: {sensitive}\n  domain: vantiq.example.com\n  ingressEndpoint: embedded\n");
        var leaves = new[] { 300, 400 }.Select(days => pki.Leaf(["vantiq.example.com"], notAfter: DateTimeOffset.UtcNow.AddDays(days))).ToList();

        foreach (var (leaf, i) in leaves.Select((l, i) => (l, i)))
        {
            var chain = Path.Combine(_workspace.Folder, $"leaf{i}.crt");
            var key = Path.Combine(_workspace.Folder, $"leaf{i}.key");
            File.WriteAllText(chain, leaf.FullChainPem);
            File.WriteAllText(key, leaf.Pkcs8Pem);

            var run = _workspace.Run("--target=RenewSslCertificate", $"--certificate={chain}", $"--key={key}");

            Assert.That(run.ExitCode, Is.EqualTo(0), run.Output + run.Error);
            var fingerprint = KubeRunbooks.Certificates.ValidatedCertificate.Fingerprint(leaf.Certificate);
            Assert.That(run.Output, Does.Match(@"Served certificate at 127\.0\.0\.1:\d+ \(server name vantiq\.example\.com\) is the new one: .*sha256 " + fingerprint[..16]),
                "the handshake with the embedded ingress presented this run's leaf");
            Assert.That(run.Output + run.Error, Does.Not.Contain(leaf.Pkcs8Pem.Split('\n')[1]));
        }
    }

    // Every run keeps the audit log of its embedded cluster in its own report folder.
    private List<AuditLine> Audit() =>
        _workspace.RunFolders.Select(f => Path.Combine(f, "audit.jsonl")).Where(File.Exists)
            .SelectMany(path =>
            {
                using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));
                return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
            })
            .Where(l => l.TrimEnd().EndsWith('}')) // a line still being written is read next time
            .Select(l => new AuditLine(System.Text.Json.Nodes.JsonNode.Parse(l)!.AsObject())).ToList();

    // A SIGKILLed host leaves its container processes behind (they run in pod folders under the state folder).
    private static void KillContainersUnder(string folder)
    {
        foreach (var proc in Directory.GetDirectories("/proc").Select(Path.GetFileName).Where(n => int.TryParse(n, out _)))
        {
            try
            {
                var cwd = new DirectoryInfo($"/proc/{proc}/cwd").ResolveLinkTarget(false)?.FullName;
                if (cwd is not null && cwd.StartsWith(folder, StringComparison.Ordinal)) Process.GetProcessById(int.Parse(proc!)).Kill();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
            {
                // Gone already, or not ours.
            }
        }
    }
}

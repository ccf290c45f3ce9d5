using System.Diagnostics;
using System.Text.Json;
using KubeRunbooks.Tests.Frosting;
using KubeRunbooks.Tests.Simulator.Api;
using KubeRunbooks.Tests.Support;

namespace KubeRunbooks.Tests.Cli;

/// <summary>
/// `--target=Simulate` as an operator uses it: the host serves the scenario until SIGTERM, prints
/// the kubeconfig path when ready, and kubectl drives the seed's steps against it.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class SimulateCommandLineTests
{
    [Test]
    public async Task Simulate_serves_the_vantiq_scenario_to_kubectl_until_SIGTERM()
    {
        Kubectl.RequireInstalled();
        using var workspace = LocalWorkspace();
        var kubeconfig = Path.Combine(workspace.Folder, "kubeconfig");
        var audit = Path.Combine(workspace.Folder, "audit.jsonl");
        using var host = StartHost(workspace.Folder, "--target=Simulate", "--scenario=vantiq", $"--kubeconfig-out={kubeconfig}", $"--audit-log={audit}");
        try
        {
            var ready = await WaitForLineAsync(host, "Kubeconfig: ", TimeSpan.FromMinutes(2));
            Assert.That(ready, Is.EqualTo($"Kubeconfig: {kubeconfig}"));

            var kubectl = new Kubectl(kubeconfig, Path.Combine(workspace.Folder, "kubectl-cache"));
            var sts = (await kubectl.RunAsync("get", "sts", "-n", "vantiq", "-o", "json")).EnsureSuccess();
            using (var list = JsonDocument.Parse(sts.Stdout))
            {
                var names = list.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("metadata").GetProperty("name").GetString());
                Assert.That(names, Is.EquivalentTo(new[] { "vantiq", "metrics-collector", "vision-analytics" }));
            }

            (await kubectl.RunAsync("scale", "sts", "-n", "vantiq", "metrics-collector", "--replicas=0")).EnsureSuccess();
            (await kubectl.RunAsync("wait", "-n", "vantiq", "--for=delete", "pod/metrics-collector-0", "--timeout=60s")).EnsureSuccess();
            Assert.That(File.ReadAllText(audit), Does.Contain("\"metrics-collector\"").And.Contain("\"scale\""));
        }
        finally
        {
            if (!host.HasExited)
            {
                Process.Start("kill", ["-TERM", host.Id.ToString()])!.WaitForExit();
            }
        }

        Assert.That(host.WaitForExit(TimeSpan.FromSeconds(60)), Is.True, "the host stops on SIGTERM");
        Assert.That(host.ExitCode, Is.EqualTo(0));
    }

    [Test]
    public void Simulate_with_an_unknown_scenario_exits_2_with_one_line()
    {
        using var workspace = LocalWorkspace();

        var run = workspace.Run("--target=Simulate", "--scenario=nosuch", $"--kubeconfig-out={Path.Combine(workspace.Folder, "kc")}");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.Output + run.Error);
        Assert.That(run.Error.Trim().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(run.Error, Does.Contain("nosuch"));
    }

    private static HostWorkspace LocalWorkspace()
    {
        var workspace = new HostWorkspace();
        workspace.WriteProfile("local", "connection:\n  simulator:\n    scenario: standard\n");
        return workspace;
    }

    private static Process StartHost(string folder, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = folder,
        };
        start.Environment["NO_COLOR"] = "1";
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

    private static async Task<string> WaitForLineAsync(Process process, string prefix, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        while (await process.StandardOutput.ReadLineAsync(cancel.Token) is { } line)
        {
            if (line.StartsWith(prefix, StringComparison.Ordinal))
            {
                // Keep draining stdout so the host never blocks on a full pipe.
                _ = process.StandardOutput.ReadToEndAsync();
                return line;
            }
        }

        Assert.Fail($"the host ended before printing '{prefix}'");
        return string.Empty;
    }
}

using System.Diagnostics;
using System.Text;
using KubeRunbooks.Tests.Frosting;

namespace KubeRunbooks.Tests.Support;

/// <summary>
/// The built host started without waiting for it, so a test can SIGKILL it at a point it observes on the cluster
/// (no finally block of the host runs), keeping what it printed for the secret scan.
/// </summary>
public sealed class KillableHost : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private KillableHost(Process process) => _process = process;

    /// <summary>Starts the host in <paramref name="folder"/> with <paramref name="args"/>.</summary>
    public static KillableHost Start(string folder, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["NO_COLOR"] = "1";
        start.ArgumentList.Add(RepositoryPaths.HostDll);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        var host = new KillableHost(Process.Start(start)!);
        host._process.OutputDataReceived += (_, e) => host.Append(e.Data);
        host._process.ErrorDataReceived += (_, e) => host.Append(e.Data);
        host._process.BeginOutputReadLine();
        host._process.BeginErrorReadLine();
        return host;
    }

    /// <summary>What the host printed (stdout and stderr) so far.</summary>
    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    /// <summary>Polls <paramref name="point"/> (a condition on the cluster) and SIGKILLs the host once it holds; fails the test if the host exits first or <paramref name="timeout"/> (90 s unless given) passes.</summary>
    public async Task KillWhenAsync(Func<Task<bool>> point, string what, TimeSpan? timeout = null)
    {
        await Eventually.UntilAsync(async () =>
        {
            if (_process.HasExited) Assert.Fail($"the host exited ({_process.ExitCode}) before {what}:\n{Output}");
            return await point();
        }, $"the host reaches {what}", timeout ?? TimeSpan.FromSeconds(90), () => Task.FromResult(Output));

        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(HostOutcome.StripAnsi(line));
    }
}

using System.Diagnostics;

namespace KubeRunbooks.Tests.Simulator.Api;

/// <summary>Runs the machine's kubectl against a kubeconfig, with its own discovery cache folder.</summary>
public sealed class Kubectl(string kubeconfig, string cacheDir)
{
    /// <summary>Where kubectl is expected.</summary>
    public const string Path = "/usr/bin/kubectl";

    /// <summary>Skips the calling test when kubectl is not installed.</summary>
    public static void RequireInstalled()
    {
        if (!File.Exists(Path)) Assert.Ignore($"kubectl is not installed at {Path}; the kubectl conformance tests need it.");
    }

    /// <summary>Runs kubectl with the arguments (and optional stdin) and returns its exit code and output.</summary>
    public async Task<KubectlResult> RunWithInputAsync(string? stdin, params string[] args)
    {
        RequireInstalled();
        var info = new ProcessStartInfo(Path)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // The flag=value form: kubectl takes a separate value before the command for a plugin name.
        info.ArgumentList.Add($"--kubeconfig={kubeconfig}");
        info.ArgumentList.Add($"--cache-dir={cacheDir}");
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.Environment.Remove("KUBECONFIG");
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin != null) await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return new KubectlResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>
    /// Runs kubectl and hands each stdout line to <paramref name="onLine"/> as it comes (for commands that stream,
    /// such as <c>get --watch</c>); returns the whole output at the end.
    /// </summary>
    public async Task<KubectlResult> RunStreamingAsync(Action<string> onLine, params string[] args)
    {
        RequireInstalled();
        var info = new ProcessStartInfo(Path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add($"--kubeconfig={kubeconfig}");
        info.ArgumentList.Add($"--cache-dir={cacheDir}");
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.Environment.Remove("KUBECONFIG");
        using var process = Process.Start(info)!;
        var stdout = new System.Text.StringBuilder();
        var stderr = process.StandardError.ReadToEndAsync();
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            stdout.AppendLine(line);
            onLine(line);
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return new KubectlResult(process.ExitCode, stdout.ToString(), await stderr);
    }

    /// <summary>Runs kubectl without stdin.</summary>
    public Task<KubectlResult> RunAsync(params string[] args) => RunWithInputAsync(null, args);
}

/// <summary>The outcome of one kubectl run.</summary>
public sealed record KubectlResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Fails the test with kubectl's stderr unless it exited 0.</summary>
    public KubectlResult EnsureSuccess()
    {
        Assert.That(ExitCode, Is.Zero, $"kubectl failed: {Stderr}");
        return this;
    }
}

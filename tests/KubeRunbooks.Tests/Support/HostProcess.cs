using System.Diagnostics;
using KubeRunbooks.Tests.Frosting;

namespace KubeRunbooks.Tests.Support;

/// <summary>What one run of the built host printed and returned.</summary>
public sealed record HostRun(int ExitCode, string Output, string Error)
{
    /// <summary>The run report folder the host printed last (<c>Run report: PATH</c>), or null.</summary>
    public string? ReportFolder =>
        Output.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.StartsWith("Run report: ", StringComparison.Ordinal))?["Run report: ".Length..];
}

/// <summary>Runs the built host (build/bin/.../KubeRunbooks.Build.dll) as a child process: the public surface.</summary>
public static class HostProcess
{
    /// <summary>Runs the host with <paramref name="args"/> in <paramref name="workingDirectory"/> and waits for it.</summary>
    public static HostRun Run(string workingDirectory, params string[] args) => Run(workingDirectory, new Dictionary<string, string>(), args);

    /// <summary>Runs the host with extra environment variables (e.g. a CI runner's).</summary>
    public static HostRun Run(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        start.Environment["NO_COLOR"] = "1";
        // A CI runner's own variables must not leak into the child: each test says which runner it plays.
        foreach (var name in new[] { "GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "TF_BUILD", "SYSTEM_TEAMFOUNDATIONCOLLECTIONURI" })
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        start.ArgumentList.Add(RepositoryPaths.HostDll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"the host did not exit: {string.Join(' ', args)}");
        }

        return new HostRun(process.ExitCode, HostOutcome.StripAnsi(output.Result), HostOutcome.StripAnsi(error.Result));
    }
}

/// <summary>
/// A throwaway working folder for the host: cake.config (artifacts inside the folder) and
/// clusters/NAME.yaml profiles, e.g. one pointing at a simulated cluster's kubeconfig.
/// </summary>
public sealed class HostWorkspace : IDisposable
{
    /// <summary>Creates the folder with a cake.config whose artifacts stay inside it.</summary>
    public HostWorkspace()
    {
        Folder = Path.Combine(Path.GetTempPath(), "kr-host-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path.Combine(Folder, "clusters"));
        File.WriteAllText(Path.Combine(Folder, "cake.config"), "[Paths]\nProfiles=clusters\nArtifacts=artifacts\n");
    }

    /// <summary>The working folder.</summary>
    public string Folder { get; }

    /// <summary>Every run folder under artifacts/runs.</summary>
    public IReadOnlyList<string> RunFolders =>
        Directory.Exists(Path.Combine(Folder, "artifacts", "runs")) ? Directory.GetDirectories(Path.Combine(Folder, "artifacts", "runs")) : [];

    /// <summary>Writes clusters/NAME.yaml.</summary>
    public void WriteProfile(string name, string yaml) => File.WriteAllText(Path.Combine(Folder, "clusters", name + ".yaml"), yaml);

    /// <summary>Writes a profile that reaches a cluster through <paramref name="kubeconfigPath"/>.</summary>
    public void WriteKubeconfigProfile(string name, string kubeconfigPath, string extra = "vantiq: {}\n") =>
        WriteProfile(name, $"connection:\n  kubeconfig: {kubeconfigPath}\n{extra}");

    /// <summary>Runs the host in this folder.</summary>
    public HostRun Run(params string[] args) => HostProcess.Run(Folder, args);

    /// <summary>Runs the host in this folder with extra environment variables.</summary>
    public HostRun Run(IReadOnlyDictionary<string, string> environment, params string[] args) => HostProcess.Run(Folder, environment, args);

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}

using System.Text.Json;
using Cake.Core;
using Cake.Core.IO;
using Cake.Core.Tooling;

namespace KubeRunbooks.Kubernetes.ClusterInfo;

/// <summary>
/// Runs <c>kubectl version --client -o json</c> and returns its standard output, or <c>null</c> when kubectl
/// is not installed. Tests pass their own.
/// </summary>
public delegate Task<string?> KubectlVersionRunner(CancellationToken cancellationToken);

/// <summary>The client side of the version check: kubectl's own report of its version.</summary>
public static class KubectlClientVersion
{
    /// <summary>Parses <c>kubectl version --client -o json</c> output (<c>{"clientVersion": {...}}</c>).</summary>
    public static KubeVersion? Parse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            if (!document.RootElement.TryGetProperty("clientVersion", out var client) || client.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            string? Field(string name) => client.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
            return KubeVersion.From(Field("major"), Field("minor"), Field("gitVersion"));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// Runs <c>kubectl version --client -o json</c> through Cake's process runner, kubectl found by Cake's tool
    /// locator (PATH); <c>null</c> when there is none. A kubectl that hangs (e.g. on an exec credential plugin) is
    /// killed when the cancellation token fires.
    /// </summary>
    public static KubectlVersionRunner Through(IProcessRunner runner, IToolLocator tools) => cancellationToken =>
        Task.Run(() =>
        {
            if (tools.Resolve(OperatingSystem.IsWindows() ? "kubectl.exe" : "kubectl") is not { } kubectl) return null;
            var errors = new List<string>();
            using var process = runner.Start(kubectl, new ProcessSettings
            {
                Arguments = new ProcessArgumentBuilder().Append("version").Append("--client").Append("-o").Append("json"),
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectedStandardErrorHandler = line => { if (line is not null) errors.Add(line); return line; },
                Silent = true,
            });
            // Cake's WaitForExit(timeout) kills the process when the timeout passes: wait without one, kill on cancellation.
            using (cancellationToken.Register(process.Kill))
            {
                process.WaitForExit();
            }
            cancellationToken.ThrowIfCancellationRequested();

            var output = string.Join('\n', process.GetStandardOutput());
            _ = process.GetStandardError().ToList();
            var code = process.GetExitCode();
            return code == 0 ? output : throw new InvalidOperationException($"kubectl version exited with {code}: {errors.FirstOrDefault()?.Trim()}");
        }, cancellationToken);
}

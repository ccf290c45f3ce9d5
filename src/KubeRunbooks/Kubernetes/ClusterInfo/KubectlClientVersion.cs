using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;

namespace KubeRunbooks.Kubernetes.ClusterInfo;

/// <summary>
/// Runs <c>kubectl version --client -o json</c> and returns its standard output, or <c>null</c> when kubectl
/// is not installed. Tests pass their own.
/// </summary>
public delegate Task<string?> KubectlVersionRunner(CancellationToken cancellationToken);

/// <summary>The client side of the version check: kubectl on PATH.</summary>
public static class KubectlClientVersion
{
    /// <summary>Runs the <c>kubectl</c> found on PATH; <c>null</c> when there is none.</summary>
    public static KubectlVersionRunner OnPath { get; } = RunOnPathAsync;

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

    private static async Task<string?> RunOnPathAsync(CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("kubectl")
        {
            ArgumentList = { "version", "--client", "-o", "json" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("kubectl did not start");
        }
        catch (Win32Exception)
        {
            return null;
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            try
            {
                await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // A kubectl that hangs (e.g. on an exec credential plugin) must not outlive the run.
                process.Kill(entireProcessTree: true);
                throw;
            }

            if (process.ExitCode != 0)
            {
                var firstLine = (await error.ConfigureAwait(false)).Split('\n', 2)[0].Trim();
                throw new InvalidOperationException($"kubectl version exited with {process.ExitCode}: {firstLine}");
            }

            return await output.ConfigureAwait(false);
        }
    }
}

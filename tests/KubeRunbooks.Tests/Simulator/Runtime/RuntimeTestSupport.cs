using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using k8s;
using k8s.Models;
using KubeRunbooks.Simulator.Runtime;

namespace KubeRunbooks.Tests.Simulator.Runtime;

/// <summary>A state change the runtime reported.</summary>
public sealed record SinkEvent(string Kind, string Pod, string Container, bool IsInit, int ExitCode, string Reason, string Message);

/// <summary>Records what the runtime reports and lets a test wait for an event.</summary>
public sealed class RecordingSink : IPodStatusSink
{
    private readonly object _gate = new();
    private readonly List<SinkEvent> _events = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>All events so far.</summary>
    public IReadOnlyList<SinkEvent> Events { get { lock (_gate) return _events.ToList(); } }

    /// <inheritdoc />
    public void ContainerStarted(string ns, string podName, string container, bool isInit, DateTimeOffset at) =>
        Add(new SinkEvent("Started", podName, container, isInit, 0, "", ""));

    /// <inheritdoc />
    public void ContainerTerminated(string ns, string podName, string container, bool isInit, int exitCode, DateTimeOffset at) =>
        Add(new SinkEvent("Terminated", podName, container, isInit, exitCode, exitCode == 0 ? "Completed" : "Error", ""));

    /// <inheritdoc />
    public void ContainerWaiting(string ns, string podName, string container, bool isInit, string reason, string message) =>
        Add(new SinkEvent("Waiting", podName, container, isInit, 0, reason, message));

    /// <summary>Waits (at most 30 s, a hang guard, not a timing assertion) for a matching event.</summary>
    public async Task<SinkEvent> WaitForAsync(string kind, string pod, string container)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                var found = _events.FirstOrDefault(e => e.Kind == kind && e.Pod == pod && e.Container == container);
                if (found is not null) return found;
                changed = _changed.Task;
            }
            await changed.WaitAsync(guard.Token);
        }
    }

    private void Add(SinkEvent e)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            _events.Add(e);
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        changed.TrySetResult();
    }
}

/// <summary>ConfigMaps and Secrets held in memory.</summary>
public sealed class MemoryEnvSource : IEnvSource
{
    /// <summary>ConfigMaps by (namespace, name).</summary>
    public Dictionary<(string, string), Dictionary<string, string>> ConfigMaps { get; } = new();

    /// <summary>Secrets by (namespace, name).</summary>
    public Dictionary<(string, string), Dictionary<string, byte[]>> Secrets { get; } = new();

    /// <inheritdoc />
    public IReadOnlyDictionary<string, string>? GetConfigMap(string ns, string name) => ConfigMaps.GetValueOrDefault((ns, name));

    /// <inheritdoc />
    public IReadOnlyDictionary<string, byte[]>? GetSecret(string ns, string name) => Secrets.GetValueOrDefault((ns, name));
}

/// <summary>Clients and paths shared by the runtime tests (their objects come from <see cref="Support.TestObjects"/>).</summary>
public static class RuntimeTestSupport
{
    /// <summary>Where a path inside a container of a pod (namespace default) is on the machine: under its root folder.</summary>
    public static string InContainer(string runtimeRoot, string pod, string container, string path)
    {
        var podFolder = Directory.GetDirectories(Path.Combine(runtimeRoot, "pods", "default"), pod + "_*").Single();
        return Path.Combine(podFolder, "containers", container, "root", path.TrimStart('/'));
    }

    /// <summary>The result of an exec through KubernetesClient.</summary>
    public sealed record ExecResult(byte[] Stdout, string Stderr, string StatusJson, int? ExitCode);

    /// <summary>
    /// Runs a command through the real KubernetesClient (v5 by default, tty false, StreamDemuxer with close):
    /// streams got before Start, stdout copied on its own task, stdin written then closed, status read to its end.
    /// </summary>
    public static async Task<ExecResult> ExecAsync(k8s.Kubernetes client, string pod, string container, string[] command,
        Stream? stdin = null, string protocol = WebSocketProtocol.V5BinaryWebsocketProtocol, string ns = "default")
    {
        // Positional: name, namespace, command, container, stderr, stdin, stdout, tty, subprotocol.
        var socket = await client.WebSocketNamespacedPodExecAsync(pod, ns, command, container,
            true, stdin is not null, true, false, protocol);
        using var demuxer = new StreamDemuxer(socket, StreamType.RemoteCommand, ownsSocket: true,
            supportsClose: protocol == WebSocketProtocol.V5BinaryWebsocketProtocol);
        var stdout = demuxer.GetStream(ChannelIndex.StdOut, null);
        var stderr = demuxer.GetStream(ChannelIndex.StdErr, null);
        var error = demuxer.GetStream(ChannelIndex.Error, null);
        var input = demuxer.GetStream(null, ChannelIndex.StdIn);
        demuxer.Start();
        var outBuffer = new MemoryStream();
        var errBuffer = new MemoryStream();
        var outTask = Task.Run(() => stdout.CopyToAsync(outBuffer));
        var errTask = Task.Run(() => stderr.CopyToAsync(errBuffer));
        if (stdin is not null)
        {
            await stdin.CopyToAsync(input);
            await input.FlushAsync();
            input.Dispose(); // v5: sends [255, 0]
        }
        var statusBuffer = new MemoryStream();
        await Task.Run(() => error.CopyToAsync(statusBuffer));
        await Task.WhenAll(outTask, errTask);
        var statusJson = Encoding.UTF8.GetString(statusBuffer.ToArray());
        int? exitCode = statusJson.Length == 0 ? null : k8s.Kubernetes.GetExitCodeOrThrow(KubernetesJson.Deserialize<V1Status>(statusJson));
        return new ExecResult(outBuffer.ToArray(), Encoding.UTF8.GetString(errBuffer.ToArray()), statusJson, exitCode);
    }

    /// <summary>The result of a kubectl run.</summary>
    public sealed record KubectlResult(int ExitCode, byte[] Stdout, string Stderr);

    /// <summary>Runs the real kubectl with a fresh cache dir; stdin is piped through when given.</summary>
    public static async Task<KubectlResult> KubectlAsync(string kubeconfig, byte[]? stdin, params string[] args)
    {
        var info = new ProcessStartInfo("kubectl")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("--kubeconfig=" + kubeconfig);
        // A fresh discovery cache per run, beside the kubeconfig so the fixture's cleanup removes it.
        info.ArgumentList.Add("--cache-dir=" + Path.Combine(Path.GetDirectoryName(kubeconfig)!, "cache-" + Guid.NewGuid().ToString("N")));
        foreach (var arg in args) info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var output = new MemoryStream();
        var outTask = process.StandardOutput.BaseStream.CopyToAsync(output);
        var errTask = process.StandardError.ReadToEndAsync();
        if (stdin is not null) await process.StandardInput.BaseStream.WriteAsync(stdin);
        process.StandardInput.Close();
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try { await process.WaitForExitAsync(guard.Token); }
        catch (OperationCanceledException) { process.Kill(true); throw; }
        await outTask;
        return new KubectlResult(process.ExitCode, output.ToArray(), await errTask);
    }

    /// <summary>True when kubectl is on the machine.</summary>
    public static bool HasKubectl() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, "kubectl")));
}

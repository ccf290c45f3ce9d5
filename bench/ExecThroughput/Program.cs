using System.Diagnostics;
using System.Globalization;
using System.Text;
using k8s;
using k8s.Models;
using KubeRunbooks.Simulator.Runtime;
using KubeRunbooks.Tests.Simulator.Runtime;

// Usage: dotnet run -c Release --project bench/ExecThroughput [-- BYTES]   (default 536870912 = 512 MiB)
// Streams `head -c BYTES /dev/zero` from a simulated pod (1) to a KubernetesClient reader and (2) through
// `kubectl exec` to a byte counter, next to (0) the same command read from a local pipe, and prints a table.
var bytes = args.Length > 0 ? long.Parse(args[0], CultureInfo.InvariantCulture) : 512L * 1024 * 1024;
var root = Path.Combine(Path.GetTempPath(), "exec-throughput-" + Guid.NewGuid().ToString("N"));
var command = new[] { "head", "-c", bytes.ToString(CultureInfo.InvariantCulture), "/dev/zero" };

await using var runtime = new ProcessPodRuntime(new PodRuntimeOptions { RootFolder = root }, new NoEnv());
await using var server = await RuntimeTestServer.StartAsync(runtime);
var sink = new StartedSink();
server.RunPod(new V1Pod
{
    Metadata = new V1ObjectMeta { Name = "bench", NamespaceProperty = "default" },
    Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Image = "bench/idle:1" }] },
}, sink);
await sink.Started.Task.WaitAsync(TimeSpan.FromSeconds(30));

var local = await TimeAsync(() => LocalPipeAsync(command));
// Each client once before timing (JIT, TLS, kubectl's discovery cache), so the rows compare steady streaming.
await KubernetesClientAsync(server, ["head", "-c", "1048576", "/dev/zero"]);
await PodExecAsync(server, ["head", "-c", "1048576", "/dev/zero"]);
await KubectlAsync(server, root, ["head", "-c", "1048576", "/dev/zero"]);
var client = await TimeAsync(() => KubernetesClientAsync(server, command));
var tool = await TimeAsync(() => PodExecAsync(server, command));
var kubectl = await TimeAsync(() => KubectlAsync(server, root, command));

Console.WriteLine($"bytes per run: {bytes} ({bytes / (1024 * 1024)} MiB), command: {string.Join(' ', command)}");
Console.WriteLine();
Console.WriteLine("| path | bytes received | seconds | MiB/s | ratio to local pipe |");
Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
Row("local pipe (no exec, ceiling)", local);
Row("KubernetesClient exec (v5, StreamDemuxer)", client);
Row("tool's PodExec (v5, own channel reader)", tool);
Row("kubectl exec (v5, stdout counted)", kubectl);
Console.WriteLine();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"PodExec / kubectl: {kubectl.Elapsed.TotalSeconds / tool.Elapsed.TotalSeconds:F2}x; StreamDemuxer / kubectl: {kubectl.Elapsed.TotalSeconds / client.Elapsed.TotalSeconds:F2}x"));
Directory.Delete(root, recursive: true);
if (client.Bytes != bytes || kubectl.Bytes != bytes || tool.Bytes != bytes)
{
    Console.Error.WriteLine("error: a run did not receive every byte");
    return 1;
}
return 0;

void Row(string name, (long Bytes, TimeSpan Elapsed) run)
{
    var rate = run.Bytes / run.Elapsed.TotalSeconds / (1024 * 1024);
    var localRate = local.Bytes / local.Elapsed.TotalSeconds / (1024 * 1024);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {name} | {run.Bytes} | {run.Elapsed.TotalSeconds:F2} | {rate:F1} | {rate / localRate:F2} |"));
}

static async Task<(long Bytes, TimeSpan Elapsed)> TimeAsync(Func<Task<long>> run)
{
    var watch = Stopwatch.StartNew();
    var received = await run();
    return (received, watch.Elapsed);
}

static async Task<long> LocalPipeAsync(string[] command)
{
    var info = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, UseShellExecute = false };
    foreach (var arg in command.Skip(1)) info.ArgumentList.Add(arg);
    using var process = Process.Start(info)!;
    var received = await CountAsync(process.StandardOutput.BaseStream);
    await process.WaitForExitAsync();
    return received;
}

static async Task<long> KubernetesClientAsync(RuntimeTestServer server, string[] command)
{
    using var client = server.CreateClient();
    var socket = await client.WebSocketNamespacedPodExecAsync("bench", "default", command, "main",
        true, false, true, false, WebSocketProtocol.V5BinaryWebsocketProtocol);
    using var demuxer = new StreamDemuxer(socket, StreamType.RemoteCommand, ownsSocket: true, supportsClose: true);
    var stdout = demuxer.GetStream(ChannelIndex.StdOut, null);
    var stderr = demuxer.GetStream(ChannelIndex.StdErr, null);
    var error = demuxer.GetStream(ChannelIndex.Error, null);
    demuxer.Start();
    var received = Task.Run(() => CountAsync(stdout));
    var drained = Task.Run(() => stderr.CopyToAsync(Stream.Null));
    using var status = new MemoryStream();
    await Task.Run(() => error.CopyToAsync(status));
    await drained;
    var code = Kubernetes.GetExitCodeOrThrow(KubernetesJson.Deserialize<V1Status>(Encoding.UTF8.GetString(status.ToArray())));
    if (code != 0) throw new InvalidOperationException($"exec exited {code}");
    return await received;
}

static async Task<long> PodExecAsync(RuntimeTestServer server, string[] command)
{
    using var client = server.CreateClient();
    var counter = new CountingStream();
    await new KubeRunbooks.Kubernetes.Exec.PodExec(client).RunCheckedAsync(new KubeRunbooks.Kubernetes.Exec.ExecRequest("default", "bench", "main", command), counter);
    return counter.Count;
}

static async Task<long> KubectlAsync(RuntimeTestServer server, string root, string[] command)
{
    var info = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
    info.ArgumentList.Add("--kubeconfig=" + server.WriteKubeconfig(Path.Combine(root, "kubectl")));
    info.ArgumentList.Add("--cache-dir=" + Path.Combine(root, "kubectl-cache"));
    foreach (var arg in new[] { "exec", "bench", "-c", "main", "--" }.Concat(command)) info.ArgumentList.Add(arg);
    using var process = Process.Start(info)!;
    var errors = process.StandardError.ReadToEndAsync();
    var received = await CountAsync(process.StandardOutput.BaseStream);
    await process.WaitForExitAsync();
    if (process.ExitCode != 0) throw new InvalidOperationException($"kubectl exited {process.ExitCode}: {await errors}");
    return received;
}

static async Task<long> CountAsync(Stream stream)
{
    var buffer = new byte[128 * 1024];
    long total = 0;
    int read;
    while ((read = await stream.ReadAsync(buffer)) > 0) total += read;
    return total;
}

/// <summary>Counts what is written and keeps nothing.</summary>
internal sealed class CountingStream : Stream
{
    public long Count { get; private set; }
    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => Count;
    public override long Position { get => Count; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => Count += count;
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Count += buffer.Length;
        return ValueTask.CompletedTask;
    }
}

/// <summary>No ConfigMaps or Secrets: the bench pod needs none.</summary>
internal sealed class NoEnv : IEnvSource
{
    public IReadOnlyDictionary<string, string>? GetConfigMap(string ns, string name) => null;
    public IReadOnlyDictionary<string, byte[]>? GetSecret(string ns, string name) => null;
}

/// <summary>Signals when the bench pod's container has started.</summary>
internal sealed class StartedSink : IPodStatusSink
{
    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public void ContainerStarted(string ns, string podName, string container, bool isInit, DateTimeOffset at) => Started.TrySetResult();
    public void ContainerTerminated(string ns, string podName, string container, bool isInit, int exitCode, DateTimeOffset at) { }
}

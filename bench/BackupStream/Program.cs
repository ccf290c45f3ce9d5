using System.Diagnostics;
using System.Globalization;
using System.Text;
using k8s;
using k8s.Models;
using KubeRunbooks.Backups;
using KubeRunbooks.Kubernetes.Exec;
using KubeRunbooks.Simulator.Runtime;
using KubeRunbooks.Tests.Simulator.Runtime;

// Usage: dotnet bench/BackupStream/bin/Release/net10.0/BackupStream.dll [SIZE_MIB ...]   (default: 1024 4096)
// For each size: a generated SQL dump (mysqldump-like INSERTs ending with its completion marker) in a simulated pod,
//   raw exec ceiling    the tool's exec reader, `cat FILE` to nowhere
//   tool backup         `cat FILE` streamed into a backup set as .sql.gz (parallel gzip), then the set verified
//   kubectl | gzip      `kubectl exec POD -- cat FILE | gzip > out` (gzip -6, one core)
//   tool restore        the verified set's file gunzipped into `kubectl exec -i`'s equivalent: exec stdin of `cat > /dev/null`
//   gunzip | kubectl    `gunzip -c out | kubectl exec -i POD -- sh -c 'cat > /dev/null'`
// The tool's rows run in a child process each, so their peak RSS (VmHWM) is the tool's alone.
if (args.Length >= 1 && args[0] == "--child") return await Child.RunAsync(args[1..]);

var sizes = args.Length > 0 ? args.Select(a => long.Parse(a, CultureInfo.InvariantCulture)).ToArray() : [1024L, 4096L];
var root = Path.Combine(Path.GetTempPath(), "backup-stream-" + Guid.NewGuid().ToString("N")[..8]);
Directory.CreateDirectory(root);
// Pods run in their own mount namespace: the bench's root is a hostPath mounted at its own path, so the dump
// generated here is the same file inside the pod.
await using var runtime = new ProcessPodRuntime(new PodRuntimeOptions { RootFolder = Path.Combine(root, "runtime"), HostPaths = { ["/bench"] = root } }, new NoEnv());
await using var server = await RuntimeTestServer.StartAsync(runtime);
var sink = new StartedSink();
server.RunPod(new V1Pod
{
    Metadata = new V1ObjectMeta { Name = "bench", NamespaceProperty = "default" },
    Spec = new V1PodSpec
    {
        Containers = [new V1Container { Name = "main", Image = "bench/idle:1", VolumeMounts = [new V1VolumeMount { Name = "bench", MountPath = root }] }],
        Volumes = [new V1Volume { Name = "bench", HostPath = new V1HostPathVolumeSource { Path = "/bench" } }],
    },
}, sink);
await sink.Started.Task.WaitAsync(TimeSpan.FromSeconds(30));
var kubeconfig = server.WriteKubeconfig(Path.Combine(root, "kube"));

Console.WriteLine($"machine: {Environment.ProcessorCount} cores, load average at start: {File.ReadAllText("/proc/loadavg").Trim()}");
Console.WriteLine();
Console.WriteLine("| size | path | MB/s | peak RSS MB | output bytes | ratio to dump | load (1 min) after |");
Console.WriteLine("| ---: | --- | ---: | ---: | ---: | ---: | ---: |");
foreach (var mib in sizes)
{
    var dump = Path.Combine(root, $"dump-{mib}.sql");
    Generate(dump, mib * 1024 * 1024);
    var length = new FileInfo(dump).Length;
    var raw = await ChildAsync("raw", kubeconfig, dump, Path.Combine(root, "sets"));
    Row(mib, "raw exec ceiling (tool reader, no disk)", length, raw.Seconds, raw.RssMb, raw.Bytes);
    var backup = await ChildAsync("backup", kubeconfig, dump, Path.Combine(root, "sets"));
    Row(mib, "tool backup: exec -> parallel gzip -> set", length, backup.Seconds, backup.RssMb, backup.Bytes);
    Row(mib, "tool backup + verify (sha, gunzip, marker)", length, backup.Seconds + backup.VerifySeconds, backup.RssMb, backup.Bytes);
    var kubectlOut = Path.Combine(root, $"kubectl-{mib}.sql.gz");
    var kubectl = Shell($"kubectl --kubeconfig={kubeconfig} --cache-dir={root}/kcache exec bench -c main -- cat {dump} | gzip -6 > {kubectlOut}");
    Row(mib, "kubectl exec cat | gzip -6 > out", length, kubectl, null, new FileInfo(kubectlOut).Length);
    var restore = await ChildAsync("restore", kubeconfig, backup.SetFolder, "");
    Row(mib, "tool restore: set -> gunzip -> exec stdin", length, restore.Seconds, restore.RssMb, restore.Bytes);
    var kubectlIn = Shell($"gunzip -c {kubectlOut} | kubectl --kubeconfig={kubeconfig} --cache-dir={root}/kcache exec -i bench -c main -- sh -c 'cat > /dev/null'");
    Row(mib, "gunzip -c out | kubectl exec -i", length, kubectlIn, null, length);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {mib} MiB | **tool backup / kubectl pipeline** | **{kubectl / backup.Seconds:F2}×** (with verify {kubectl / (backup.Seconds + backup.VerifySeconds):F2}×) | | size {(double)backup.Bytes / new FileInfo(kubectlOut).Length:F3}× gzip -6 | | |"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {mib} MiB | **tool restore / kubectl pipeline** | **{kubectlIn / restore.Seconds:F2}×** | | | | |"));
    File.Delete(dump);
    File.Delete(kubectlOut);
    Directory.Delete(backup.SetFolder, recursive: true);
}
Console.WriteLine();
Console.WriteLine($"load average at end: {File.ReadAllText("/proc/loadavg").Trim()}");
Directory.Delete(root, recursive: true);
return 0;

static void Row(long mib, string path, long dumpBytes, double seconds, double? rss, long outBytes) =>
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {mib} MiB | {path} | {dumpBytes / seconds / 1e6:F1} | {(rss is { } r ? r.ToString("F0", CultureInfo.InvariantCulture) : "n/a")} | {outBytes} | {(double)outBytes / dumpBytes:F3} | {Load()} |"));

// The machine is shared: each row says how busy it was when the row ended (1-minute load average).
static string Load() => File.ReadAllText("/proc/loadavg").Split(' ')[0];

static double Shell(string command)
{
    var info = new ProcessStartInfo("bash") { UseShellExecute = false, RedirectStandardError = true };
    info.ArgumentList.Add("-c");
    info.ArgumentList.Add("set -o pipefail; " + command);
    var watch = Stopwatch.StartNew();
    using var process = Process.Start(info)!;
    var error = process.StandardError.ReadToEnd();
    process.WaitForExit();
    if (process.ExitCode != 0) throw new InvalidOperationException($"'{command}' exited {process.ExitCode}: {error}");
    return watch.Elapsed.TotalSeconds;
}

static async Task<ChildResult> ChildAsync(string mode, string kubeconfig, string path, string sets)
{
    var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true };
    foreach (var a in new[] { typeof(Child).Assembly.Location, "--child", mode, kubeconfig, path, sets }) info.ArgumentList.Add(a);
    using var process = Process.Start(info)!;
    var output = await process.StandardOutput.ReadToEndAsync();
    await process.WaitForExitAsync();
    if (process.ExitCode != 0) throw new InvalidOperationException($"child {mode} exited {process.ExitCode}: {output}");
    var f = output.Trim().Split('\t');
    return new ChildResult(double.Parse(f[0], CultureInfo.InvariantCulture), double.Parse(f[1], CultureInfo.InvariantCulture),
        long.Parse(f[2], CultureInfo.InvariantCulture), double.Parse(f[3], CultureInfo.InvariantCulture), f[4]);
}

static void Generate(string path, long bytes)
{
    // A 64 MiB block of varied INSERTs, repeated with a changing prefix: deflate's 32 KiB window sees no repetition.
    var random = new Random(7);
    var words = new[] { "alpha", "beta", "gamma", "東京", "delta", "épsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda" };
    var block = new StringBuilder();
    while (block.Length < 64 * 1024 * 1024)
    {
        block.Append("INSERT INTO `orders` VALUES (").Append(random.Next(10_000_000)).Append(",'")
            .Append(words[random.Next(words.Length)]).Append(' ').Append(words[random.Next(words.Length)]).Append(' ').Append(random.Next(100_000)).Append("',")
            .Append((random.NextDouble() * 10000).ToString("F2", CultureInfo.InvariantCulture)).Append(",'2026-")
            .Append(random.Next(1, 13).ToString("00", CultureInfo.InvariantCulture)).Append('-').Append(random.Next(1, 29).ToString("00", CultureInfo.InvariantCulture)).Append("');\n");
    }
    var data = Encoding.UTF8.GetBytes(block.ToString());
    using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
    var header = Encoding.UTF8.GetBytes("-- MariaDB dump 10.19  Distrib 10.11.11-MariaDB\n");
    file.Write(header);
    long written = header.Length;
    var marker = Encoding.UTF8.GetBytes("\n-- Dump completed on 2026-12-06  1:00:00\n"); // after a cut line: on a line of its own
    var round = 0;
    while (written + marker.Length < bytes)
    {
        var prefix = Encoding.UTF8.GetBytes($"-- part {round++}\n");
        file.Write(prefix);
        var n = (int)Math.Min(data.Length, bytes - marker.Length - written - prefix.Length);
        if (n <= 0) break;
        file.Write(data, 0, n);
        written += prefix.Length + n;
    }
    file.Write(marker);
}

/// <summary>What a child run measured.</summary>
internal sealed record ChildResult(double Seconds, double RssMb, long Bytes, double VerifySeconds, string SetFolder);

/// <summary>The tool's side, in its own process so its peak RSS is its own.</summary>
internal static class Child
{
    public static async Task<int> RunAsync(string[] args)
    {
        var (mode, kubeconfig, path, sets) = (args[0], args[1], args[2], args[3]);
        using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
        var exec = new PodExec(client);
        var pod = new PodContainer("default", "bench", "main");
        // Warm-up (JIT, TLS session, thread pool) on 4 MiB, untimed: the rows compare steady streaming, as kubectl's
        // start (a Go binary, no JIT) is small beside it.
        var warm = BackupSetWriter.Create(Path.Combine(Path.GetTempPath(), "backup-stream-warm-" + Environment.ProcessId), "warm", "bench");
        await warm.WriteFileAsync(new BackupFileSpec("warm.gz", BackupContent.Raw, BackupCompression.Gzip),
            (s, ct) => exec.RunCheckedAsync(pod.Exec("head", "-c", "4194304", "/dev/zero"), s, new MemoryStream(new byte[4194304]), null, ct));
        Directory.Delete(Path.GetDirectoryName(warm.Folder)!, recursive: true);
        var watch = Stopwatch.StartNew();
        long bytes;
        double verify = 0;
        var setFolder = "-";
        switch (mode)
        {
            case "raw":
                bytes = (await exec.RunCheckedAsync(pod.Exec("cat", path), Stream.Null)).StdoutBytes;
                break;
            case "backup":
                var set = BackupSetWriter.Create(sets, "bench", "bench");
                var entry = await new PodBackups(exec).DumpAsync(set, new BackupFileSpec("dump.sql.gz", BackupContent.MysqlDump, BackupCompression.Gzip), pod.Exec("cat", path));
                bytes = entry.Size;
                var dumped = watch.Elapsed.TotalSeconds;
                await set.CompleteAsync();
                verify = watch.Elapsed.TotalSeconds - dumped;
                Print(dumped, bytes, verify, set.Folder); // the dump's time; the verification's apart
                return 0;
            case "restore":
                var verified = await BackupVerifier.VerifyOrThrowAsync(path);
                watch.Restart(); // the restore alone (the verification was measured with the backup)
                bytes = (await new PodBackups(exec).RestoreAsync(verified, "dump.sql.gz", pod.Exec("sh", "-c", "wc -c"), new MemoryStream())).StdoutBytes;
                bytes = verified.File("dump.sql.gz").ContentSize;
                break;
            default:
                return 2;
        }
        Print(watch.Elapsed.TotalSeconds, bytes, verify, setFolder);
        return 0;
    }

    private static void Print(double seconds, long bytes, double verify, string setFolder)
    {
        var hwm = File.ReadAllLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        var kb = long.Parse(hwm.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{seconds:F3}\t{kb / 1024.0:F1}\t{bytes}\t{verify:F3}\t{setFolder}"));
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

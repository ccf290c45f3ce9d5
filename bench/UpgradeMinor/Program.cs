using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using KubeRunbooks.Simulator.Scenarios;
using KubeRunbooks.Simulator.Server;
using KubeRunbooks.Simulator.Store;

// Usage (from the repository root, after `dotnet build build/Build.csproj` and `dotnet build -c Release bench/UpgradeMinor`):
//   dotnet bench/UpgradeMinor/bin/Release/net10.0/UpgradeMinor.dll [RUNS] [--show-output]   (default 20 runs; the
//   option prints the first run's host output to stderr)
// Each run: a fresh in-process simulated cluster (scenario vantiq, ReadinessDelay zero), the built host as a child
// process (`--cluster=bench --target=UpgradeMinor --to=1.31.0`), its wall time, and the reaction latency from a pod
// becoming Ready (timestamped in this process from the store) to the next request in the cluster's audit log.
var showOutput = args.Contains("--show-output");
var readinessDelay = TimeSpan.FromMilliseconds(args.Where(a => a.StartsWith("--readiness-ms=", StringComparison.Ordinal))
    .Select(a => double.Parse(a["--readiness-ms=".Length..], CultureInfo.InvariantCulture)).LastOrDefault());
var positional = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
var runs = positional.Length > 0 ? int.Parse(positional[0], CultureInfo.InvariantCulture) : 20;
var repo = FindRepository();
var hostDll = Path.Combine(repo, "build", "bin", "Debug", "net10.0", "KubeRunbooks.Build.dll");
if (!File.Exists(hostDll))
{
    Console.Error.WriteLine($"error: {hostDll} is missing: run `dotnet build build/Build.csproj` first");
    return 2;
}
var scenario = Scenario.Load("vantiq", Path.Combine(repo, "scenarios"));
var hostTimeout = TimeSpan.FromMinutes(3);
const string Namespace = "vantiq";
const string RestoreCommand = "gzip -t \"/backup/$BACKUP_ID.archive.gz\" && echo \"mongorestore: restored $BACKUP_ID\"";

Console.WriteLine($"date: {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, load average at start: {LoadAverage()}, cores: {Environment.ProcessorCount}");
Console.WriteLine($"host: dotnet {hostDll} --cluster=bench --target=UpgradeMinor --to=1.31.0 (runs: {runs}, timeout per run {hostTimeout.TotalSeconds:F0} s, ReadinessDelay {readinessDelay.TotalMilliseconds} ms)");
Console.WriteLine();
Console.WriteLine("Latency parts (ms): controller = pod Ready -> its StatefulSet's status counts it (store); watch = -> the host prints");
Console.WriteLine("\"... has N ready replicas.\" (its stdout, read line by line here); after = -> the next audited request.");
Console.WriteLine("lead = the task's banner on the host's stdout -> the pod Ready (negative: the pod was Ready before the task began).");
Console.WriteLine();
Console.WriteLine("| run | exit | wall s | host Total s | vantiq-0 Ready -> next request | ms | lead | controller / watch / after | last pod Ready -> next request | ms | lead | controller / watch / after | hook-to-watch lag ms (max) |");
Console.WriteLine("| ---: | ---: | ---: | ---: | --- | ---: | ---: | --- | --- | ---: | ---: | --- | ---: |");

var walls = new List<double>();
var hostTotals = new List<double>();
var latencies = new List<double>();
var latenciesHook = new List<double>();
var byWait = new Dictionary<string, List<double>> { ["WaitVantiqReady"] = [], ["RestoreVantiqReplicas"] = [] };
var parts = new Dictionary<string, List<double>> { ["controller"] = [], ["watch"] = [], ["after"] = [] };
var waited = new List<double>();
var readyFirst = new List<double>();
var failures = new List<string>();

for (var run = 1; run <= runs; run++)
{
    try
    {
        var result = await RunOnceAsync(run);
        walls.Add(result.Wall.TotalSeconds);
        if (result.HostTotal is { } total) hostTotals.Add(total.TotalSeconds);
        foreach (var s in result.Samples)
        {
            latencies.Add(s.LatencyMs);
            latenciesHook.Add(s.LatencyFromHookMs);
            byWait[s.Wait].Add(s.LatencyMs);
            if (s.ControllerMs is { } c) parts["controller"].Add(c);
            if (s.WatchMs is { } w) parts["watch"].Add(w);
            if (s.AfterMs is { } f) parts["after"].Add(f);
            (s.LeadMs > 0 ? waited : readyFirst).Add(s.LatencyMs);
        }
        var a = result.Samples.Single(s => s.Wait == "WaitVantiqReady");
        var b = result.Samples.Single(s => s.Wait == "RestoreVantiqReplicas");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {run} | {result.ExitCode} | {result.Wall.TotalSeconds:F2} | {result.HostTotal?.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture) ?? "-"} | {a.Pod} -> {a.Next} | {a.LatencyMs:F1} | {a.Lead} | {a.Parts} | {b.Pod} -> {b.Next} | {b.LatencyMs:F1} | {b.Lead} | {b.Parts} | {result.Samples.Max(s => s.WatchLagMs):F2} |"));
    }
    catch (Exception e)
    {
        failures.Add($"run {run}: {e.Message}");
        Console.WriteLine($"| {run} | FAILED | | | {e.Message.ReplaceLineEndings(" ")} | | | | | | | | |");
    }
}

Console.WriteLine();
Console.WriteLine($"load average at end: {LoadAverage()}");
Console.WriteLine();
Console.WriteLine("Percentiles by nearest rank over every sample of every successful run.");
Console.WriteLine();
Console.WriteLine("| figure | samples | min | p50 | p95 | max |");
Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");
Summary("reaction latency, all waits (ms, Ready seen by the store watch)", latencies, "F1");
Summary("  WaitVantiqReady: vantiq-0 Ready -> next request (ms)", byWait["WaitVantiqReady"], "F1");
Summary("  RestoreVantiqReplicas: last pod Ready -> next request (ms)", byWait["RestoreVantiqReplicas"], "F1");
Summary("  samples where the task had begun before the pod was Ready (ms)", waited, "F1");
Summary("  samples where the pod was Ready before the task began (ms)", readyFirst, "F1");
Summary("  part controller: pod Ready -> StatefulSet status counts it (ms)", parts["controller"], "F1");
Summary("  part watch: -> host prints \"has N ready replicas\" (ms)", parts["watch"], "F1");
Summary("  part after: -> next audited request (ms)", parts["after"], "F1");
Summary("reaction latency, all waits (ms, Ready at the store's commit hook)", latenciesHook, "F1");
Summary("UpgradeMinor wall time, child process (s)", walls, "F2");
Summary("UpgradeMinor host's own Total: line (s)", hostTotals, "F2");

if (failures.Count > 0)
{
    Console.WriteLine();
    foreach (var f in failures) Console.Error.WriteLine("error: " + f);
    return 1;
}
var p50 = Percentile(latencies, 0.50);
Console.WriteLine();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"goal p50 < 100 ms: {(p50 < 100 ? "met" : "NOT met")} (p50 {p50:F1} ms)"));
return 0;

async Task<RunResult> RunOnceAsync(int run)
{
    var root = Path.Combine(Path.GetTempPath(), $"kr-bench-um-{run}-" + Guid.NewGuid().ToString("N")[..8]);
    var work = Path.Combine(root, "work");
    await using var cluster = await SimulatedClusterBuilder.StartAsync(scenario, Path.Combine(root, "cluster"),
        new ScenarioClusterSettings { ReadinessDelay = readinessDelay });
    try
    {
        Directory.CreateDirectory(Path.Combine(work, "clusters"));
        File.WriteAllText(Path.Combine(work, "cake.config"), "[Paths]\nProfiles=clusters\nArtifacts=artifacts\n");
        File.WriteAllText(Path.Combine(work, "clusters", "bench.yaml"),
            $"connection:\n  kubeconfig: {cluster.KubeconfigPath}\n" +
            "timeouts: { default: 60s, podReady: 60s, job: 60s, migration: 60s, rollout: 60s, deploy: 60s }\n" +
            $"vantiq:\n  restoreCommand: '{RestoreCommand}'\n");
        await WaitForReplicasAsync(cluster.Store, ("vantiq", 3), ("metrics-collector", 1), ("vision-analytics", 2));

        using var ready = new ReadyWatch(cluster.Store, Namespace);
        var (exitCode, wall, lines, error) = await RunHostAsync(work);
        var (moments, statuses) = await ready.StopAsync();
        var output = string.Join('\n', lines.Select(l => l.Text));
        if (showOutput && run == 1) Console.Error.WriteLine(output);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"the host exited {exitCode}: {Tail(error.Length > 0 ? error : output)}");
        }
        var hostTotal = Regex.Match(output, @"^\s*Total:\s+(\d+:\d+:\d+(?:\.\d+)?)", RegexOptions.Multiline) is { Success: true } m
            ? TimeSpan.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)
            : (TimeSpan?)null;
        var audit = File.ReadAllLines(cluster.AuditLogPath).Where(l => l.Length > 0)
            .Select(l => new Audited(JsonNode.Parse(l)!.AsObject())).OrderBy(a => a.Received).ToList();

        // WaitVantiqReady ends when vantiq-0 is Ready again after the migration; RestoreVantiqReplicas follows with the scale to 3.
        var scaleUp = audit.FirstOrDefault(a => a.Describe() == "scale vantiq=3")
            ?? throw new InvalidOperationException("no scale of vantiq to 3 in the audit log");
        // RestoreVantiqReplicas waits until every workload is ready, then removes the original-replicas annotations.
        var clear = audit.FirstOrDefault(a => a.ClearsOriginalReplicas)
            ?? throw new InvalidOperationException("no removal of kuberunbooks.io/original-replicas in the audit log");
        var samples = new List<Sample>
        {
            SampleBefore("WaitVantiqReady", scaleUp, moments.Where(r => r.Pod == "vantiq-0"), audit, statuses, lines),
            SampleBefore("RestoreVantiqReplicas", clear, moments, audit, statuses, lines),
        };
        return new RunResult(exitCode, wall, hostTotal, samples);
    }
    finally
    {
        await cluster.DisposeAsync();
        try { Directory.Delete(root, recursive: true); }
        catch (IOException) { /* a leftover temp folder is harmless */ }
        catch (UnauthorizedAccessException) { /* likewise */ }
    }
}

// The pod-Ready moment a request reacted to: the last Ready transition before it; the latency runs to the first
// audited request after that moment (expected to be the request itself; the table shows which one it was).
// Parts: the StatefulSet status that first counts the pod (owner = the pod's name without its ordinal), then the last
// "has N ready replicas." line the host printed before the request (the end of its wait, for the last wait of a group).
static Sample SampleBefore(string wait, Audited expected, IEnumerable<ReadyMoment> candidates, List<Audited> audit,
    IReadOnlyList<StatusMoment> statuses, IReadOnlyList<(DateTimeOffset At, string Text)> lines)
{
    var moment = candidates.Where(r => r.At < expected.Received).MaxBy(r => r.At)
        ?? throw new InvalidOperationException($"{wait}: no pod became Ready before '{expected.Describe()}'");
    var next = audit.First(a => a.Received > moment.At);
    var owner = moment.Pod[..moment.Pod.LastIndexOf('-')];
    var status = statuses.FirstOrDefault(s => s.StatefulSet == owner && s.At >= moment.At && s.At < next.Received);
    var printed = lines.LastOrDefault(l => l.At >= moment.At && l.At < next.Received && Regex.IsMatch(l.Text, @"has \d+ ready replicas\.$"));
    double? controller = status is null ? null : (status.At - moment.At).TotalMilliseconds;
    double? watch = status is null || printed.Text is null ? null : (printed.At - status.At).TotalMilliseconds;
    double? after = printed.Text is null ? null : (next.Received - printed.At).TotalMilliseconds;
    // The task's banner (its name alone on a line): positive = the task had begun when the pod became Ready.
    var banner = lines.FirstOrDefault(l => l.Text.Trim() == wait);
    double? lead = banner.Text is null ? null : (moment.At - banner.At).TotalMilliseconds;
    return new Sample(wait, moment.Pod, next.Describe() + (ReferenceEquals(next, expected) ? "" : " (not the expected request)"),
        (next.Received - moment.At).TotalMilliseconds, (next.Received - moment.HookAt).TotalMilliseconds, (moment.At - moment.HookAt).TotalMilliseconds,
        controller, watch, after, lead);
}

async Task<(int ExitCode, TimeSpan Wall, IReadOnlyList<(DateTimeOffset At, string Text)> Lines, string Error)> RunHostAsync(string work)
{
    var start = new ProcessStartInfo("dotnet")
    {
        RedirectStandardOutput = true,
        RedirectStandardError = true,
        UseShellExecute = false,
        WorkingDirectory = work,
    };
    start.Environment["NO_COLOR"] = "1";
    foreach (var arg in new[] { hostDll, "--cluster=bench", "--target=UpgradeMinor", "--to=1.31.0" }) start.ArgumentList.Add(arg);
    var clock = Stopwatch.StartNew();
    using var process = Process.Start(start)!;
    var lines = new List<(DateTimeOffset At, string Text)>();
    var output = Task.Run(async () =>
    {
        while (await process.StandardOutput.ReadLineAsync() is { } line) lines.Add((DateTimeOffset.UtcNow, line));
    });
    var error = process.StandardError.ReadToEndAsync();
    using var timeout = new CancellationTokenSource(hostTimeout);
    try
    {
        await process.WaitForExitAsync(timeout.Token);
    }
    catch (OperationCanceledException)
    {
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        throw new TimeoutException($"the host did not exit within {hostTimeout.TotalSeconds:F0} s");
    }
    var wall = clock.Elapsed;
    await output;
    return (process.ExitCode, wall, lines, await error);
}

static async Task WaitForReplicasAsync(ObjectStore store, params (string Name, int Replicas)[] expected)
{
    var deadline = DateTime.UtcNow.AddSeconds(30);
    while (!expected.All(e => store.TryGet(ResourceCatalog.StatefulSets, Namespace, e.Name) is { } s
        && JsonNumbers.AsLong(s["spec"]?["replicas"]) == e.Replicas && JsonNumbers.AsLong(s["status"]?["readyReplicas"]) == e.Replicas))
    {
        if (DateTime.UtcNow > deadline) throw new TimeoutException($"the statefulsets did not reach {string.Join(", ", expected)}");
        await Task.Delay(20);
    }
}

void Summary(string name, List<double> values, string format)
{
    if (values.Count == 0)
    {
        Console.WriteLine($"| {name} | 0 | - | - | - | - |");
        return;
    }
    string F(double v) => v.ToString(format, CultureInfo.InvariantCulture);
    Console.WriteLine($"| {name} | {values.Count} | {F(values.Min())} | {F(Percentile(values, 0.50))} | {F(Percentile(values, 0.95))} | {F(values.Max())} |");
}

static double Percentile(List<double> values, double p)
{
    var sorted = values.Order().ToList();
    return sorted[Math.Max(0, (int)Math.Ceiling(p * sorted.Count) - 1)];
}

static string LoadAverage() =>
    File.Exists("/proc/loadavg") ? string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

static string Tail(string text) => string.Join(" | ", text.Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).TakeLast(8));

static string FindRepository()
{
    foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
    {
        for (var dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "KubeRunbooks.slnx"))) return dir.FullName;
        }
    }
    throw new DirectoryNotFoundException("KubeRunbooks.slnx not found above the working directory or the bench's folder");
}

/// <summary>One run: the host's exit code, its wall time, its own Total: line and the latency samples.</summary>
internal sealed record RunResult(int ExitCode, TimeSpan Wall, TimeSpan? HostTotal, IReadOnlyList<Sample> Samples);

/// <summary>One reaction: which wait, the pod whose Ready ended it, the next audited request and the delays.</summary>
internal sealed record Sample(string Wait, string Pod, string Next, double LatencyMs, double LatencyFromHookMs, double WatchLagMs,
    double? ControllerMs, double? WatchMs, double? AfterMs, double? LeadMs)
{
    /// <summary>"controller / watch / after" in ms, "-" for a part not found.</summary>
    public string Parts => string.Join(" / ", new[] { ControllerMs, WatchMs, AfterMs }.Select(v => v?.ToString("F1", CultureInfo.InvariantCulture) ?? "-"));

    /// <summary>Task banner -> pod Ready in ms ("-" when no banner was seen).</summary>
    public string Lead => LeadMs?.ToString("F1", CultureInfo.InvariantCulture) ?? "-";
}

/// <summary>A StatefulSet's status.readyReplicas went up: when this process saw it on the store watch.</summary>
internal sealed record StatusMoment(string StatefulSet, long ReadyReplicas, DateTimeOffset At);

/// <summary>A pod's Ready condition became True: when this process saw it on the store watch, and when the store committed it.</summary>
internal sealed record ReadyMoment(string Pod, DateTimeOffset At, DateTimeOffset HookAt, long ResourceVersion);

/// <summary>
/// Timestamps, in this process, each moment a pod of the namespace becomes Ready (condition Ready turns True, or a
/// pod appears Ready). Primary clock: the reader of an <see cref="ObjectStore.Watch"/> subscription started from a
/// list (no event lost, no baseline mistaken for a change). Cross-check: the store's AfterMutation hook, called
/// under the store's lock when the change is committed, before any watcher sees it.
/// </summary>
internal sealed class ReadyWatch : IDisposable
{
    private readonly ObjectStore _store;
    private readonly StoreSubscription _subscription;
    private readonly ConcurrentDictionary<long, DateTimeOffset> _committed = new();
    private readonly Dictionary<string, bool> _ready = new(StringComparer.Ordinal);
    private readonly List<ReadyMoment> _moments = [];
    private readonly Dictionary<string, long> _readyReplicas = new(StringComparer.Ordinal);
    private readonly List<StatusMoment> _statuses = [];
    private readonly Task _reader;

    public ReadyWatch(ObjectStore store, string ns)
    {
        _store = store;
        store.AfterMutation = e =>
        {
            if (e.Kind == ResourceCatalog.Pods) _committed[e.ResourceVersion] = DateTimeOffset.UtcNow;
        };
        var list = store.List(ResourceCatalog.Pods, ns);
        foreach (var pod in list.Items) _ready[Uid(pod)] = IsReady(pod);
        var sets = store.List(ResourceCatalog.StatefulSets, ns);
        foreach (var set in sets.Items) _readyReplicas[Name(set)] = ReadyReplicas(set);
        // Both lists are taken before the watch starts and the watch replays from the older version: nothing is missed
        // (a change between the lists is replayed and only counts if it changes what the list showed).
        _subscription = store.Watch(null, ns, Math.Min(list.ResourceVersion, sets.ResourceVersion),
            o => (string?)o["kind"] is "Pod" or "StatefulSet");
        _reader = Task.Factory.StartNew(ReadAsync, TaskCreationOptions.LongRunning).Unwrap();
    }

    /// <summary>Ends the watch once every event has been read; returns the Ready moments in order.</summary>
    public async Task<(IReadOnlyList<ReadyMoment> Ready, IReadOnlyList<StatusMoment> Statuses)> StopAsync()
    {
        _subscription.Dispose();
        await _reader;
        _store.AfterMutation = null;
        return (_moments, _statuses);
    }

    public void Dispose()
    {
        _subscription.Dispose();
        _store.AfterMutation = null;
    }

    private async Task ReadAsync()
    {
        await foreach (var e in _subscription.Events.ReadAllAsync())
        {
            var seen = DateTimeOffset.UtcNow;
            if (e.Kind == ResourceCatalog.StatefulSets)
            {
                var name = Name(e.Object);
                var ready = e.Type == StoreEventType.Deleted ? 0 : ReadyReplicas(e.Object);
                if (ready > _readyReplicas.GetValueOrDefault(name)) _statuses.Add(new StatusMoment(name, ready, seen));
                _readyReplicas[name] = ready;
                continue;
            }
            var uid = Uid(e.Object);
            if (e.Type == StoreEventType.Deleted)
            {
                _ready.Remove(uid);
                continue;
            }
            var now = IsReady(e.Object);
            var before = _ready.TryGetValue(uid, out var was) && was;
            _ready[uid] = now;
            if (now && !before)
            {
                var committed = _committed.TryGetValue(e.ResourceVersion, out var at) ? at : seen;
                _moments.Add(new ReadyMoment((string)e.Object["metadata"]!["name"]!, seen, committed, e.ResourceVersion));
            }
        }
    }

    private static string Name(JsonObject obj) => (string?)obj["metadata"]?["name"] ?? "";

    private static long ReadyReplicas(JsonObject set) =>
        JsonNumbers.AsLong(set["status"]?["readyReplicas"]) ?? 0;

    private static string Uid(JsonObject pod) => (string?)pod["metadata"]?["uid"] ?? "";

    private static bool IsReady(JsonObject pod) =>
        pod["status"]?["conditions"] is JsonArray conditions
        && conditions.Any(c => (string?)c?["type"] == "Ready" && (string?)c?["status"] == "True");
}

/// <summary>One line of the audit log.</summary>
internal sealed record Audited(JsonObject Json)
{
    public DateTimeOffset Received { get; } = DateTimeOffset.Parse((string)Json["requestReceivedTimestamp"]!, CultureInfo.InvariantCulture);

    private string Verb => (string?)Json["verb"] ?? "";
    private string Resource => (string?)Json["objectRef"]?["resource"] ?? "";
    private string? Subresource => (string?)Json["objectRef"]?["subresource"];
    private string? Name => (string?)Json["objectRef"]?["name"];
    private JsonNode? Body => Json["requestObject"];

    /// <summary>A patch that sets kuberunbooks.io/original-replicas to null (removes it).</summary>
    public bool ClearsOriginalReplicas =>
        Resource == "statefulsets" && Verb == "patch" && Subresource is null
        && Body?["metadata"]?["annotations"] is JsonObject annotations
        && annotations.TryGetPropertyValue("kuberunbooks.io/original-replicas", out var value) && value is null;

    /// <summary>A short name: "scale vantiq=3", "patch statefulsets/vantiq", "create jobs/..."</summary>
    public string Describe() =>
        Subresource == "scale" && Body?["spec"]?["replicas"] is { } r ? $"scale {Name}={(int)r}"
        : ClearsOriginalReplicas ? $"remove original-replicas of {Name}"
        : $"{Verb} {Resource}{(Subresource is null ? "" : "/" + Subresource)}/{Name}";
}

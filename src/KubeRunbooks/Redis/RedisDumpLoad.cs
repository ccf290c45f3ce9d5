using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using KubeRunbooks.Kubernetes.Exec;
using KubeRunbooks.Kubernetes.Workloads;

namespace KubeRunbooks.Redis;

/// <summary>
/// Loads a dump into a Redis workload whose configuration file is a ConfigMap, as the 3scale seed's restore does:
/// <c>save</c> lines commented and <c>appendonly no</c> in the ConfigMap, rollout, <c>dump.rdb</c> and the
/// append-only file moved aside (kept, renamed with a suffix), the dump copied in (tar over exec), rollout, the
/// ConfigMap put back, rollout. One step more than the seed: when the original configuration turns the append-only
/// file on, Redis is told <c>CONFIG SET appendonly yes</c> (which writes the append-only file from the loaded data)
/// before the last rollout, because a Redis starting with <c>appendonly yes</c> and no append-only file starts
/// empty and ignores the dump. The keys are counted after the load and again at the end: they must match.
/// Whatever fails, the ConfigMap is put back as it was; files moved aside before the dump was copied in are moved
/// back, and Redis is rolled out once more to run with its own configuration.
/// </summary>
public sealed class RedisDumpLoad
{
    /// <summary>Renames, in folder <c>$1</c>, each of <c>$3...</c> that exists to NAME<c>$2</c> (refusing to overwrite); prints the new names.</summary>
    internal const string MoveAsideScript =
        "cd \"$1\" || exit 1; s=\"$2\"; shift 2; for f in \"$@\"; do if [ -e \"$f\" ] || [ -L \"$f\" ]; then " +
        "if [ -e \"$f$s\" ]; then echo \"$f$s exists already\" >&2; exit 1; fi; mv -- \"$f\" \"$f$s\" || exit 1; printf '%s\\n' \"$f$s\"; fi; done";

    /// <summary>Renames back, in folder <c>$1</c>, each NAME<c>$2</c> of <c>$3...</c> to NAME when NAME is absent.</summary>
    internal const string MoveBackScript =
        "cd \"$1\" || exit 1; s=\"$2\"; shift 2; for f in \"$@\"; do if [ -e \"$f$s\" ] && [ ! -e \"$f\" ]; then mv -- \"$f$s\" \"$f\" || exit 1; fi; done";

    private readonly IKubernetes _client;
    private readonly PodExec _exec;
    private readonly WorkloadRollout _rollout;
    private readonly RedisCli _cli;
    private readonly TimeSpan _timeout;
    private readonly Action<string> _log;

    /// <summary>Creates the loader.</summary>
    /// <param name="client">The Kubernetes client.</param>
    /// <param name="rollout">Rolls the Redis workload out (it knows the workload kinds the cluster serves).</param>
    /// <param name="timeout">How long each rollout, and the append-only rewrite, may take.</param>
    /// <param name="log">Where progress lines go.</param>
    public RedisDumpLoad(IKubernetes client, WorkloadRollout rollout, TimeSpan timeout, Action<string>? log = null)
    {
        _client = client;
        _exec = new PodExec(client);
        _log = log ?? (_ => { });
        _rollout = rollout;
        _cli = new RedisCli(_exec);
        _timeout = timeout;
    }

    /// <summary>Loads the dump (see the class summary).</summary>
    /// <param name="request">What to load where.</param>
    /// <param name="cancellationToken">Cancels the load (the recovery still runs).</param>
    /// <param name="keptAside">
    /// Told the names (in the data folder) of the files this load keeps aside, as soon as they were moved, and told an
    /// empty list when a failure moved them back: where a runbook records them, so a rerun after a kill names them.
    /// </param>
    /// <exception cref="RedisDumpLoadException">A step failed; the message says which and the state left.</exception>
    public async Task<RedisDumpLoadResult> LoadAsync(RedisDumpLoadRequest request, CancellationToken cancellationToken,
        Func<IReadOnlyList<string>, CancellationToken, Task>? keptAside = null)
    {
        keptAside ??= (_, _) => Task.CompletedTask;
        var ns = request.Workload.Namespace;
        var original = await ReadConfigAsync(request, cancellationToken).ConfigureAwait(false);
        var configChanged = false;
        IReadOnlyList<string> movedAside = [];
        var dumpCopied = false;
        var step = "turning persistence off in " + Where(request);
        try
        {
            await WriteConfigAsync(request, RedisPersistenceConfig.WithoutPersistence(original), cancellationToken).ConfigureAwait(false);
            configChanged = true;
            _log($"{Where(request)}: save lines commented, appendonly no.");
            step = $"rolling out {request.Workload} without persistence";
            var pod = await _rollout.RolloutLatestAsync(request.Workload, request.PodSelector, _timeout, cancellationToken).ConfigureAwait(false);

            step = $"moving {string.Join(", ", request.MovedFiles)} aside in {pod.Metadata.Name}";
            movedAside = await MoveAsideAsync(request, pod, cancellationToken).ConfigureAwait(false);
            if (movedAside.Count > 0) await keptAside(movedAside, cancellationToken).ConfigureAwait(false);
            _log(movedAside.Count == 0 ? $"Nothing to move aside in {request.DataFolder}." : $"Moved aside in {request.DataFolder} (kept): {string.Join(", ", movedAside)}.");

            step = $"copying the dump into {pod.Metadata.Name}:{request.DataFolder}/dump.rdb";
            await CopyDumpAsync(request, pod, cancellationToken).ConfigureAwait(false);
            dumpCopied = true;

            step = $"rolling out {request.Workload} to load the dump";
            pod = await _rollout.RolloutLatestAsync(request.Workload, request.PodSelector, _timeout, cancellationToken).ConfigureAwait(false);
            var endpoint = Endpoint(request, pod);
            var loaded = RedisCli.KeyCount(await _cli.AskAsync(endpoint, ["INFO", "keyspace"], cancellationToken).ConfigureAwait(false));
            _log($"{pod.Metadata.Name} loaded the dump: {loaded} keys.");

            if (RedisPersistenceConfig.AppendOnly(original))
            {
                step = $"writing the append-only file of {pod.Metadata.Name} from the loaded data";
                await EnableAppendOnlyAsync(endpoint, cancellationToken).ConfigureAwait(false);
            }

            step = "putting " + Where(request) + " back";
            await WriteConfigAsync(request, original, cancellationToken).ConfigureAwait(false);
            configChanged = false;
            step = $"rolling out {request.Workload} with its own configuration";
            pod = await _rollout.RolloutLatestAsync(request.Workload, request.PodSelector, _timeout, cancellationToken).ConfigureAwait(false);
            var keys = RedisCli.KeyCount(await _cli.AskAsync(Endpoint(request, pod), ["INFO", "keyspace"], cancellationToken).ConfigureAwait(false));
            if (keys != loaded)
                throw new RedisCommandException($"{pod.Metadata.Name} holds {keys} keys after the restart with its own configuration, not the {loaded} of the dump.");
            return new RedisDumpLoadResult(movedAside, keys, pod.Metadata.Name);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var state = await RecoverAsync(request, original, configChanged, movedAside, dumpCopied, keptAside).ConfigureAwait(false);
            throw new RedisDumpLoadException($"Loading the dump into {request.Workload} failed while {step}: {e.Message} {state}", e);
        }
    }

    // After a failure: the ConfigMap back as it was, files moved aside back when no dump replaced them, one rollout.
    private async Task<string> RecoverAsync(RedisDumpLoadRequest request, string original, bool configChanged, IReadOnlyList<string> movedAside, bool dumpCopied,
        Func<IReadOnlyList<string>, CancellationToken, Task> keptAside)
    {
        using var timeout = new CancellationTokenSource(_timeout * 2);
        var state = new StringBuilder();
        try
        {
            if (configChanged) await WriteConfigAsync(request, original, timeout.Token).ConfigureAwait(false);
            state.Append(configChanged ? $"{Where(request)} was put back as it was. " : $"{Where(request)} is as it was. ");
        }
        catch (Exception e)
        {
            return $"{Where(request)} could NOT be put back ({e.Message}): its save lines are commented and appendonly is no; put it back by hand.";
        }
        try
        {
            if (movedAside.Count > 0 && !dumpCopied)
            {
                var pod = await _rollout.FindPodAsync(request.Workload.Namespace, request.PodSelector, timeout.Token).ConfigureAwait(false);
                await _exec.RunCheckedAsync(Container(pod).Exec(["sh", "-c", MoveBackScript, "kuberunbooks-move-back", request.DataFolder, request.AsideSuffix, .. request.MovedFiles]),
                    Stream.Null, null, null, timeout.Token).ConfigureAwait(false);
                state.Append($"The files moved aside were moved back ({string.Join(", ", movedAside)}). ");
                await keptAside([], timeout.Token).ConfigureAwait(false);
            }
            else if (movedAside.Count > 0)
            {
                state.Append($"The files moved aside are kept in {request.DataFolder}: {string.Join(", ", movedAside)}. ");
            }
            if (configChanged)
            {
                await _rollout.RolloutLatestAsync(request.Workload, request.PodSelector, _timeout, timeout.Token).ConfigureAwait(false);
                state.Append($"{request.Workload} was rolled out with its own configuration.");
            }
        }
        catch (Exception e)
        {
            state.Append($"Recovery stopped: {e.Message} Check {request.Workload} and {request.DataFolder} ({string.Join(", ", movedAside)}).");
        }
        return state.ToString().Trim();
    }

    private async Task<IReadOnlyList<string>> MoveAsideAsync(RedisDumpLoadRequest request, V1Pod pod, CancellationToken cancellationToken)
    {
        using var stdout = new MemoryStream();
        await _exec.RunCheckedAsync(Container(pod).Exec(["sh", "-c", MoveAsideScript, "kuberunbooks-move-aside", request.DataFolder, request.AsideSuffix, .. request.MovedFiles]),
            stdout, null, null, cancellationToken).ConfigureAwait(false);
        return Encoding.UTF8.GetString(stdout.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    private async Task CopyDumpAsync(RedisDumpLoadRequest request, V1Pod pod, CancellationToken cancellationToken)
    {
        var staging = Directory.CreateTempSubdirectory("kuberunbooks-redis-"); // mode 0700 on Unix (mkdtemp)
        try
        {
            File.Copy(request.DumpFile, Path.Combine(staging.FullName, "dump.rdb"));
            await new PodFiles(_exec).CopyToAsync(staging.FullName, Container(pod), request.DataFolder, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            staging.Delete(recursive: true);
        }
    }

    private async Task EnableAppendOnlyAsync(RedisEndpoint endpoint, CancellationToken cancellationToken)
    {
        await _cli.AskAsync(endpoint, ["CONFIG", "SET", "appendonly", "yes"], cancellationToken).ConfigureAwait(false);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_timeout);
        try
        {
            while (true)
            {
                var info = await _cli.AskAsync(endpoint, ["INFO", "persistence"], deadline.Token).ConfigureAwait(false);
                if (RedisCli.Info(info, "aof_enabled") == "1" && RedisCli.Info(info, "aof_rewrite_in_progress") == "0" && RedisCli.Info(info, "aof_rewrite_scheduled") == "0")
                {
                    var status = RedisCli.Info(info, "aof_last_bgrewrite_status");
                    if (status != "ok") throw new RedisCommandException($"The append-only rewrite on {endpoint} failed (aof_last_bgrewrite_status:{status}).");
                    return;
                }
                await Task.Delay(TimeSpan.FromMilliseconds(200), deadline.Token).ConfigureAwait(false); // Redis has no watch
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new Kubernetes.Watching.WaitTimeoutException($"Timed out waiting for {endpoint} to write its append-only file.");
        }
    }

    private async Task<string> ReadConfigAsync(RedisDumpLoadRequest request, CancellationToken cancellationToken)
    {
        var map = await _client.CoreV1.ReadNamespacedConfigMapAsync(request.ConfigMap, request.Workload.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        return map.Data?.TryGetValue(request.ConfigKey, out var text) == true
            ? text
            : throw new RedisDumpLoadException($"{Where(request)} has no key {request.ConfigKey}; nothing was changed.");
    }

    private Task WriteConfigAsync(RedisDumpLoadRequest request, string text, CancellationToken cancellationToken)
    {
        var patch = new JsonObject { ["data"] = new JsonObject { [request.ConfigKey] = text } };
        return _client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch),
            request.ConfigMap, request.Workload.Namespace, cancellationToken: cancellationToken);
    }

    // redis-cli must name the pod: a literal 127.0.0.1 need not be the server's address (the pod's own hostname is).
    private static RedisEndpoint Endpoint(RedisDumpLoadRequest request, V1Pod pod) =>
        new(pod.Metadata.NamespaceProperty, pod.Metadata.Name, Container(pod).Container) { CliArguments = ["-h", pod.Metadata.Name], Password = request.Password };

    private static PodContainer Container(V1Pod pod) => new(pod.Metadata.NamespaceProperty, pod.Metadata.Name, pod.Spec.Containers[0].Name);

    private static string Where(RedisDumpLoadRequest request) => $"configmap {request.Workload.Namespace}/{request.ConfigMap} ({request.ConfigKey})";
}

using System.Globalization;
using System.IO.Pipes;
using System.Text;
using ICSharpCode.SharpZipLib.Tar;
using KubeRunbooks.Kubernetes.Exec;
using KubeRunbooks.Kubernetes.Watching;

namespace KubeRunbooks.Redis;

/// <summary>
/// A Redis dump that is not hours old: <c>BGSAVE</c>, wait until <c>LASTSAVE</c> has moved past its value before
/// (the save finished) and the save succeeded, then copy <c>dump.rdb</c> out by tar over exec (what <c>oc cp</c>
/// does). The wait is bounded: a BGSAVE that does not finish in time refuses the snapshot, naming what it waited
/// for, and nothing is written. The password travels on stdin into <c>REDISCLI_AUTH</c>, never in argv.
/// </summary>
public sealed class RedisSnapshot
{
    private readonly PodExec _exec;
    private readonly RedisCli _cli;
    private readonly TimeSpan _pollInterval;

    /// <summary>Creates the snapshot taker.</summary>
    /// <param name="exec">Runs commands in pods.</param>
    /// <param name="pollInterval">How often LASTSAVE is asked while a save runs (Redis has no watch); 200 ms when null.</param>
    public RedisSnapshot(PodExec exec, TimeSpan? pollInterval = null)
    {
        _exec = exec;
        _cli = new RedisCli(exec);
        _pollInterval = pollInterval ?? TimeSpan.FromMilliseconds(200);
    }

    /// <summary>Takes a fresh background save and copies the dump to <paramref name="destination"/>.</summary>
    /// <param name="redis">The server.</param>
    /// <param name="destination">Receives the dump's bytes (nothing when the save does not finish in time).</param>
    /// <param name="timeout">How long the save may take.</param>
    /// <param name="cancellationToken">Cancels the snapshot.</param>
    /// <returns>The dump's path, size and save times.</returns>
    /// <exception cref="WaitTimeoutException">The BGSAVE did not finish within <paramref name="timeout"/>.</exception>
    /// <exception cref="RedisCommandException">A command failed, the save failed, or the copied file is not a whole RDB file.</exception>
    public async Task<RedisSnapshotResult> TakeAsync(RedisEndpoint redis, Stream destination, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        long before = 0;
        try
        {
            before = await LastSaveAsync(redis, deadline.Token).ConfigureAwait(false);
            // LASTSAVE counts whole seconds: a save finishing in the second of the previous one would not move it.
            while (await ServerTimeAsync(redis, deadline.Token).ConfigureAwait(false) <= before)
                await Task.Delay(_pollInterval, deadline.Token).ConfigureAwait(false);
            while (true)
            {
                var reply = await CliAsync(redis, ["BGSAVE"], deadline.Token, acceptErrors: true).ConfigureAwait(false);
                if (reply.StartsWith("Background saving", StringComparison.Ordinal)) break;
                if (!reply.Contains("already in progress", StringComparison.Ordinal)) throw new RedisCommandException($"BGSAVE on {redis} was refused: {reply}");
                // A save started before ours holds data older than now: let it end, then start ours.
                while (Info(await CliAsync(redis, ["INFO", "persistence"], deadline.Token).ConfigureAwait(false), "rdb_bgsave_in_progress") == "1")
                    await Task.Delay(_pollInterval, deadline.Token).ConfigureAwait(false);
            }

            long lastSave;
            while ((lastSave = await LastSaveAsync(redis, deadline.Token).ConfigureAwait(false)) <= before)
                await Task.Delay(_pollInterval, deadline.Token).ConfigureAwait(false);
            var status = Info(await CliAsync(redis, ["INFO", "persistence"], deadline.Token).ConfigureAwait(false), "rdb_last_bgsave_status");
            if (status != "ok") throw new RedisCommandException($"The BGSAVE on {redis} failed (rdb_last_bgsave_status:{status}); no dump was copied.");

            var dir = ConfigValue(await CliAsync(redis, ["CONFIG", "GET", "dir"], deadline.Token).ConfigureAwait(false), "dir");
            var file = ConfigValue(await CliAsync(redis, ["CONFIG", "GET", "dbfilename"], deadline.Token).ConfigureAwait(false), "dbfilename");
            var bytes = await CopyOutAsync(redis, dir, file, destination, cancellationToken).ConfigureAwait(false);
            return new RedisSnapshotResult($"{dir.TrimEnd('/')}/{file}", bytes, before, lastSave);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new WaitTimeoutException(
                $"Timed out after {WatchLoop<k8s.Models.V1Pod>.Format(timeout)} waiting for a fresh BGSAVE of {redis} to finish (LASTSAVE still {before}); no dump was copied.");
        }
    }

    private async Task<long> LastSaveAsync(RedisEndpoint redis, CancellationToken cancellationToken) =>
        ParseLong(redis, "LASTSAVE", await CliAsync(redis, ["LASTSAVE"], cancellationToken).ConfigureAwait(false));

    private async Task<long> ServerTimeAsync(RedisEndpoint redis, CancellationToken cancellationToken) =>
        ParseLong(redis, "TIME", (await CliAsync(redis, ["TIME"], cancellationToken).ConfigureAwait(false)).Split('\n')[0]);

    private static long ParseLong(RedisEndpoint redis, string command, string reply) =>
        long.TryParse(reply.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new RedisCommandException($"{command} on {redis} answered '{Short(reply)}', not a number.");

    private static string? Info(string info, string key) => RedisCli.Info(info, key);

    private static string ConfigValue(string reply, string key)
    {
        var lines = reply.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var index = lines.IndexOf(key);
        return index >= 0 && index + 1 < lines.Count && lines[index + 1].Length > 0
            ? lines[index + 1]
            : throw new RedisCommandException($"CONFIG GET {key} gave no value.");
    }

    private Task<string> CliAsync(RedisEndpoint redis, IReadOnlyList<string> command, CancellationToken cancellationToken, bool acceptErrors = false) =>
        _cli.AskAsync(redis, command, cancellationToken, acceptErrors);

    private async Task<long> CopyOutAsync(RedisEndpoint redis, string dir, string file, Stream destination, CancellationToken cancellationToken)
    {
        // tar reads one inode whole, so an automatic save renaming a new dump in meanwhile cannot mix two files.
        var writeEnd = new AnonymousPipeServerStream(PipeDirection.Out);
        var readEnd = new AnonymousPipeClientStream(PipeDirection.In, writeEnd.ClientSafePipeHandle);
        var stderr = new MemoryStream();
        var produce = Task.Run(async () =>
        {
            try { return await _exec.RunAsync(new ExecRequest(redis.Namespace, redis.Pod, redis.Container, ["tar", "-c", "-f", "-", "-C", dir, "--", file]), writeEnd, stderr, null, cancellationToken).ConfigureAwait(false); }
            finally { await writeEnd.DisposeAsync().ConfigureAwait(false); }
        }, cancellationToken);
        var consume = Task.Run(() =>
        {
            try
            {
                using var tar = new TarInputStream(readEnd, Encoding.UTF8) { IsStreamOwner = false };
                var entry = tar.GetNextEntry() ?? throw new RedisCommandException($"The copy of {dir}/{file} from {redis} was empty.");
                var check = new RdbCheck();
                var buffer = new byte[81920];
                long total = 0;
                int read;
                while ((read = tar.Read(buffer, 0, buffer.Length)) > 0)
                {
                    check.Add(buffer.AsSpan(0, read));
                    destination.Write(buffer, 0, read);
                    total += read;
                }
                if (total != entry.Size) throw new RedisCommandException($"The copy of {dir}/{file} from {redis} ended after {total} of {entry.Size} bytes.");
                if (!check.IsWholeRdb) throw new RedisCommandException($"{dir}/{file} from {redis} is not a whole RDB file (no REDIS header or no end marker).");
                readEnd.CopyTo(Stream.Null);
                return total;
            }
            finally
            {
                readEnd.Dispose();
            }
        }, cancellationToken);

        Exception? consumeError = null;
        long bytes = 0;
        try { bytes = await consume.ConfigureAwait(false); }
        catch (Exception e) { consumeError = e; }
        ExecResult exec;
        // A broken exec (stream cut, connection lost) is the cause of whatever the reading side saw.
        try { exec = await produce.ConfigureAwait(false); }
        catch (Exception e) when (e is not OperationCanceledException || consumeError is not null)
        {
            throw new RedisCommandException($"Copying {dir}/{file} from {redis} failed: {e.Message}", e);
        }
        if (consumeError is RedisCommandException) throw consumeError;
        if (consumeError is not null) throw new RedisCommandException($"Copying {dir}/{file} from {redis} failed: {consumeError.Message}", consumeError);
        if (exec.ExitCode != 0) throw new RedisCommandException($"tar of {dir}/{file} in {redis} failed (exit {exec.ExitCode}): {Short(Encoding.UTF8.GetString(stderr.ToArray()))}");
        await destination.FlushAsync(cancellationToken).ConfigureAwait(false);
        return bytes;
    }

    private static string Short(string text) => RedisCli.Short(text);
}

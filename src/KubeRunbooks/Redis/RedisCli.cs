using System.Text;
using KubeRunbooks.Kubernetes.Exec;

namespace KubeRunbooks.Redis;

/// <summary>
/// <c>redis-cli</c> exec'd in a pod: one command, its reply as text. redis-cli answers errors on stdout with exit 0,
/// so an error reply is recognised by its code. The password travels on stdin into <c>REDISCLI_AUTH</c>, never in argv.
/// </summary>
public sealed class RedisCli
{
    private static readonly string[] ErrorReplies = ["ERR", "NOAUTH", "WRONGPASS", "NOPERM", "LOADING", "BUSY", "MISCONF", "READONLY", "MASTERDOWN"];
    private readonly PodExec _exec;

    /// <summary>Over an exec runner.</summary>
    public RedisCli(PodExec exec) => _exec = exec;

    /// <summary>Runs one command and returns the reply, trimmed.</summary>
    /// <param name="redis">The server.</param>
    /// <param name="command">The command and its arguments (never a secret).</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <param name="acceptErrors">Return an error reply instead of failing on it.</param>
    /// <exception cref="RedisCommandException">The password was refused, redis-cli failed, or (unless accepted) the reply is an error.</exception>
    public async Task<string> AskAsync(RedisEndpoint redis, IReadOnlyList<string> command, CancellationToken cancellationToken, bool acceptErrors = false)
    {
        using var stdout = new MemoryStream();
        using var stderr = new MemoryStream();
        var request = new ExecRequest(redis.Namespace, redis.Pod, redis.Container, ["redis-cli", .. redis.CliArguments, .. command]);
        if (redis.Password is not null) request = request with { Secrets = new Dictionary<string, string> { ["REDISCLI_AUTH"] = redis.Password } };
        var result = await _exec.RunAsync(request, stdout, stderr, null, cancellationToken).ConfigureAwait(false);
        var output = Encoding.UTF8.GetString(stdout.ToArray()).Trim();
        var error = Encoding.UTF8.GetString(stderr.ToArray()).Trim();
        if (error.Contains("AUTH failed", StringComparison.Ordinal) || output.StartsWith("WRONGPASS", StringComparison.Ordinal) || output.StartsWith("NOAUTH", StringComparison.Ordinal))
            throw new RedisCommandException($"{redis} refused the password (or needs one): {command[0]} was not run.");
        if (result.ExitCode != 0)
            throw new RedisCommandException($"redis-cli {command[0]} on {redis} failed (exit {result.ExitCode}): {Short(error.Length > 0 ? error : output)}");
        if (!acceptErrors && ErrorReplies.Any(code => output.StartsWith(code + " ", StringComparison.Ordinal)))
            throw new RedisCommandException($"{command[0]} on {redis} answered an error: {Short(output)}");
        return output;
    }

    /// <summary>A field of an <c>INFO</c> reply, or null.</summary>
    public static string? Info(string info, string key) =>
        info.Split('\n').Select(l => l.TrimEnd('\r')).FirstOrDefault(l => l.StartsWith(key + ":", StringComparison.Ordinal))?[(key.Length + 1)..];

    /// <summary>The keys of every database in an <c>INFO keyspace</c> reply (<c>db0:keys=3,expires=0,...</c>).</summary>
    public static long KeyCount(string info) =>
        info.Split('\n').Select(l => l.TrimEnd('\r'))
            .Where(l => l.StartsWith("db", StringComparison.Ordinal) && l.Contains(":keys=", StringComparison.Ordinal))
            .Sum(l => long.Parse(l[(l.IndexOf(":keys=", StringComparison.Ordinal) + 6)..].Split(',')[0], System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>A reply shortened to one line for messages.</summary>
    public static string Short(string text)
    {
        var line = text.ReplaceLineEndings(" ").Trim();
        return line.Length <= 200 ? line : line[..200] + "...";
    }
}

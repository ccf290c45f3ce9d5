namespace KubeRunbooks.Redis;

/// <summary>A Redis server reached by <c>redis-cli</c> exec'd in a pod's container.</summary>
/// <param name="Namespace">The pod's namespace.</param>
/// <param name="Pod">The pod.</param>
/// <param name="Container">The container that has <c>redis-cli</c> (and <c>tar</c>, to copy the dump out).</param>
public sealed record RedisEndpoint(string Namespace, string Pod, string Container)
{
    /// <summary>Connection arguments for <c>redis-cli</c> (<c>-h</c>, <c>-p</c>, <c>-n</c>); empty for the local default. Never a password.</summary>
    public IReadOnlyList<string> CliArguments { get; init; } = [];

    /// <summary>The password, or null. Sent on the exec's stdin and exported as <c>REDISCLI_AUTH</c>: never in argv.</summary>
    public string? Password { get; init; }

    /// <summary>For messages: <c>redis in NS/POD</c>.</summary>
    public override string ToString() => $"redis in {Namespace}/{Pod}";
}

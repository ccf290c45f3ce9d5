namespace KubeRunbooks.Redis;

/// <summary>A <c>redis-cli</c> command failed or Redis answered with an error; no dump was copied.</summary>
public sealed class RedisCommandException : Exception
{
    /// <summary>Creates the exception with a one-line message (never a password).</summary>
    public RedisCommandException(string message, Exception? inner = null) : base(message, inner) { }
}

namespace KubeRunbooks.Redis;

/// <summary>A dump load failed; the message says the step and the state left (configuration put back, files moved aside or back).</summary>
public sealed class RedisDumpLoadException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RedisDumpLoadException(string message, Exception? inner = null) : base(message, inner) { }
}

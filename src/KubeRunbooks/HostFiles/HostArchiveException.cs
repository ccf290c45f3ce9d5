namespace KubeRunbooks.HostFiles;

/// <summary>Collecting a host's files failed (a command failed, the stream ended early); no archive was left.</summary>
public sealed class HostArchiveException : Exception
{
    /// <summary>Creates the exception with a one-line message.</summary>
    public HostArchiveException(string message, Exception? inner = null) : base(message, inner) { }
}

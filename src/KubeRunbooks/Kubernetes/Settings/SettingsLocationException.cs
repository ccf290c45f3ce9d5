namespace KubeRunbooks.Kubernetes.Settings;

/// <summary>The settings cannot be read or written where they are said to be; the message is one line for the operator.</summary>
public sealed class SettingsLocationException : Exception
{
    /// <summary>Creates the exception with the one line shown to the operator.</summary>
    public SettingsLocationException(string message) : base(message) { }
}

namespace KubeRunbooks.Simulator.State;

/// <summary>
/// The local cluster's state file cannot be used (truncated, edited, garbage, unreadable). The message is one
/// line that names the file, what is wrong and the fix; it never quotes the file's content (it holds Secrets).
/// The host prints it and exits with the invalid-input code.
/// </summary>
public sealed class StateFileCorruptException : Exception
{
    /// <summary>The command that puts a scenario's initial state back.</summary>
    public const string ResetCommand = "./build.sh --target=ResetLocalCluster";

    /// <summary>Creates the exception for <paramref name="path"/> with a short reason (no content of the file).</summary>
    public StateFileCorruptException(string path, string reason, Exception? inner = null)
        : base($"The local cluster state file {path} is unusable ({reason}); run {ResetCommand} to start again from the scenario.", inner)
    {
        StatePath = path;
    }

    /// <summary>The state file that was refused.</summary>
    public string StatePath { get; }
}

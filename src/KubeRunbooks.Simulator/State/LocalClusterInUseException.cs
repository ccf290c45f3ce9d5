namespace KubeRunbooks.Simulator.State;

/// <summary>
/// Another process holds the local cluster's state folder (its lock file) and did not release it within the
/// wait. Nothing was read or changed. The host prints the one-line message and exits with the lock-held code (3).
/// </summary>
public sealed class LocalClusterInUseException : Exception
{
    /// <summary>Creates the exception for the state folder whose lock is held.</summary>
    public LocalClusterInUseException(string folder, TimeSpan waited)
        : base($"Another run holds the local cluster (state folder {folder}); waited {waited.TotalSeconds:0.#} s. Wait for it to finish, then run again.")
    {
        Folder = folder;
    }

    /// <summary>The state folder that is locked.</summary>
    public string Folder { get; }
}

using KubeRunbooks.Tests.Simulator.State;

/// <summary>
/// Runs the state writer when the test assembly is started as a child process with this assembly as a
/// startup hook and <see cref="StateWriterChild.FolderVariable"/> set; does nothing otherwise.
/// The runtime requires this exact name in the global namespace.
/// </summary>
internal static class StartupHook
{
    /// <summary>The runtime's entry point for startup hooks.</summary>
    public static void Initialize()
    {
        var folder = Environment.GetEnvironmentVariable(StateWriterChild.FolderVariable);
        if (string.IsNullOrEmpty(folder)) return;
        StateWriterChild.Run(folder);
    }
}

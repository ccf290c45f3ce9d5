namespace KubeRunbooks.Tasks.Exastro;

/// <summary>The Exastro runbook target names (the public interface: <c>./build.sh --target=NAME</c>).</summary>
public static class ExastroTargets
{
    /// <summary>Encryption key, databases and storage through the maintenance pod, with the services stopped.</summary>
    public const string Backup = "ExastroBackup";

    /// <summary>A verified ExastroBackup set put back with the services stopped.</summary>
    public const string Restore = "ExastroRestore";
}

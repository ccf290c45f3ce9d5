namespace KubeRunbooks.Tasks.ThreeScale;

/// <summary>The 3scale runbook target names (the public interface: <c>./build.sh --target=NAME</c>).</summary>
public static class ThreeScaleTargets
{
    /// <summary>Databases, storage, Redis dumps, Secrets and ConfigMaps into one backup set.</summary>
    public const string Backup = "ThreeScaleBackup";

    /// <summary>A backup set restored in the seed's order.</summary>
    public const string Restore = "ThreeScaleRestore";
}

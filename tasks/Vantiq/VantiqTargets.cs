namespace KubeRunbooks.Tasks.Vantiq;

/// <summary>The Vantiq runbook target names (the public interface: <c>./build.sh --target=NAME</c>).</summary>
public static class VantiqTargets
{
    /// <summary>Minor upgrade with downtime, MongoDB backup and schema migration.</summary>
    public const string UpgradeMinor = "UpgradeMinor";

    /// <summary>Back to the version before a minor upgrade, with its backup restored.</summary>
    public const string RollbackMinor = "RollbackMinor";

    /// <summary>Patch upgrade by rolling update.</summary>
    public const string UpgradePatch = "UpgradePatch";

    /// <summary>Back to the previous patch version by rolling update.</summary>
    public const string RollbackPatch = "RollbackPatch";

    /// <summary>A MongoDB backup Job from the CronJob, without downtime.</summary>
    public const string MongoBackup = "MongoBackup";

    /// <summary>A MongoDB restore with Vantiq stopped.</summary>
    public const string MongoRestore = "MongoRestore";
}

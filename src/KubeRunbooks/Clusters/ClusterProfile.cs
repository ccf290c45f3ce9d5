using KubeRunbooks.Clusters.Products;

namespace KubeRunbooks.Clusters;

/// <summary>
/// One cluster profile, loaded from <c>clusters/NAME.yaml</c>: how to reach the cluster, how long to
/// wait, and the names of each installed product's objects. A product section that the file does not
/// have is <c>null</c>: that product is not installed on this cluster.
/// </summary>
public sealed record ClusterProfile
{
    /// <summary>The profile name (the file name without <c>.yaml</c>).</summary>
    public required string Name { get; init; }

    /// <summary>The file the profile was read from, as shown in messages.</summary>
    public required string SourcePath { get; init; }

    /// <summary>How to reach the cluster.</summary>
    public ConnectionSettings Connection { get; init; } = new();

    /// <summary>
    /// <c>production: true</c>: every target that changes the cluster needs <c>--confirm=NAME</c> (see
    /// <see cref="KubeRunbooks.Safety.ProductionConfirmation"/>).
    /// </summary>
    public bool Production { get; init; }

    /// <summary>How long each kind of wait may take.</summary>
    public TimeoutSettings Timeouts { get; init; } = new();

    /// <summary>Where backups go and how many are kept.</summary>
    public BackupSettings Backups { get; init; } = new();

    /// <summary>The weekly slots in which a <c>--scheduled</c> backup may run (empty: always).</summary>
    public WeeklySchedule Schedule { get; init; } = WeeklySchedule.Empty;

    /// <summary>The sections of the products installed on this cluster (read by the product modules).</summary>
    public ProductSections Products { get; init; } = ProductSections.Empty;
}

/// <summary>
/// How to reach the cluster. Exactly one of: a simulator, in-cluster configuration, or a kubeconfig
/// (the profile's path, else <c>KUBECONFIG</c>, else <c>~/.kube/config</c>).
/// </summary>
public sealed record ConnectionSettings
{
    /// <summary>The kubeconfig path with <c>~</c> expanded, or <c>null</c> for KUBECONFIG / the default.</summary>
    public string? Kubeconfig { get; init; }

    /// <summary>The kubeconfig context, or <c>null</c> for the kubeconfig's current context.</summary>
    public string? Context { get; init; }

    /// <summary>Use the service account of the pod this runs in.</summary>
    public bool InCluster { get; init; }

    /// <summary>The embedded simulated cluster, or <c>null</c> for a real cluster.</summary>
    public SimulatorSettings? Simulator { get; init; }

    /// <summary>The file line of <see cref="Kubeconfig"/>, for messages about it found after parsing.</summary>
    internal int? KubeconfigLine { get; init; }

    /// <summary>The file line of <see cref="Context"/>, for messages about it found after parsing.</summary>
    internal int? ContextLine { get; init; }
}

/// <summary>The embedded simulated cluster: which scenario seeds it and where its state persists.</summary>
public sealed record SimulatorSettings
{
    /// <summary>The scenario name that seeds the simulated cluster.</summary>
    public string Scenario { get; init; } = "standard";

    /// <summary>The folder that keeps the simulated cluster's state between runs, or <c>null</c> for in-memory only.</summary>
    public string? StateFolder { get; init; }
}

/// <summary>
/// How long each kind of wait may take before it fails naming what it waited for. Keys a profile
/// does not set come from cake.config's [Timeouts] section, then from these defaults.
/// </summary>
public sealed record TimeoutSettings
{
    /// <summary>Any wait without a more specific timeout, and single API calls.</summary>
    public TimeSpan Default { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>A pod becoming ready (or disappearing after a scale down).</summary>
    public TimeSpan PodReady { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>A Job (backup, restore) running to completion.</summary>
    public TimeSpan Job { get; init; } = TimeSpan.FromHours(1);

    /// <summary>A rollout (updateRevision reached by all replicas).</summary>
    public TimeSpan Rollout { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>A schema migration (a product's migration container) running to its exit.</summary>
    public TimeSpan Migration { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>A deploy command (a product's own deploy tool) running to its exit.</summary>
    public TimeSpan Deploy { get; init; } = TimeSpan.FromMinutes(20);
}

/// <summary>Where backups are written and which are kept (newest N, and daily / weekly / monthly generations).</summary>
public sealed record BackupSettings
{
    /// <summary>The local folder for backups, with <c>~</c> expanded.</summary>
    public string Folder { get; init; } = "backups";

    /// <summary>How many of the newest backups are kept (the seed's <c>MaxNumberOfBackupFiles</c>).</summary>
    public int Retention { get; init; } = 1;

    /// <summary>Besides those, the newest set of each of the last this many days that have one (0: none).</summary>
    public int KeepDaily { get; init; }

    /// <summary>Besides those, the newest set of each of the last this many ISO weeks that have one (0: none).</summary>
    public int KeepWeekly { get; init; }

    /// <summary>Besides those, the newest set of each of the last this many months that have one (0: none).</summary>
    public int KeepMonthly { get; init; }
}

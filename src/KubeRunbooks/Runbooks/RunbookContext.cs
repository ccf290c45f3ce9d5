using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Frosting;
using k8s;
using KubeRunbooks.Clusters;
using KubeRunbooks.Clusters.Connection;
using KubeRunbooks.Errors;
using KubeRunbooks.Frosting;
using KubeRunbooks.Kubernetes.Http;
using KubeRunbooks.Reporting;
using KubeRunbooks.Reporting.Pipelines;
using KubeRunbooks.Runbooks.Facts;
using KubeRunbooks.Runbooks.Plans;
using KubeRunbooks.Runbooks.Products;

namespace KubeRunbooks.Runbooks;

/// <summary>
/// The context every runbook task receives: the validated cluster profile, the Kubernetes client,
/// the dry-run flag and the run journal. Built by the host before the first task runs, so a bad
/// profile ends the run with exit code 2 before anything is changed.
/// </summary>
public class RunbookContext : FrostingContext
{
    private readonly Lazy<IKubernetes> _client;
    private readonly object _planLock = new();
    private IRunbookPlan? _plan;
    private string? _runId;

    /// <summary>Loads and validates the profile named by <c>--cluster</c> (default <c>local</c>) and starts the run journal.</summary>
    public RunbookContext(ICakeContext context, RunMode mode, RunbookSession session, ILocalClusterFactory? localClusters = null, ProductRegistry? products = null)
        : base(context)
    {
        Session = session;
        Products = products ?? ProductRegistry.Empty;
        IsDryRun = mode.IsDryRun;
        PipelineIntegration.Attach(context, session.Masker);
        Settings = ToolSettings.From(context.Configuration);
        var clusterName = Argument("cluster");
        var timeoutDefaults = new TimeoutSettings { Default = Settings.DefaultTimeout, PodReady = Settings.PodReadyTimeout, Job = Settings.JobTimeout };
        Profile = new ProfileCatalog(Settings.ProfilesPath, timeoutDefaults: timeoutDefaults, products: Products.Sections).Load(clusterName);
        KubeRunbooks.Safety.ProductionConfirmation.Require(context, Profile, IsDryRun);
        Connection = ClusterConnection.Resolve(Profile);
        if (Connection.Configuration?.AccessToken is { } token)
        {
            session.Masker.Register(token);
        }

        var target = Argument("target") ?? "Default";
        Journal = RunJournal.Start(Settings.ArtifactsPath, target, Profile.Name, FlattenArguments(context.Arguments), session.Masker);
        Journal.RecordFact("connection", Connection.Description);
        if (IsDryRun)
        {
            Journal.RecordFact("mode", "dry run: nothing was changed");
        }

        Facts = new RunFacts(Journal);
        session.Journal = Journal;
        LocalClusterRequest = Connection.Simulator is { } simulator ? BuildLocalClusterRequest(simulator, context.Environment.WorkingDirectory.FullPath) : null;
        _client = new Lazy<IKubernetes>(() => CreateClient(localClusters));
    }

    /// <summary>The process-wide session (journal, embedded cluster, secret masker).</summary>
    public RunbookSession Session { get; }

    /// <summary>The validated cluster profile.</summary>
    public ClusterProfile Profile { get; }

    /// <summary>How the profile reaches its cluster.</summary>
    public ClusterConnection Connection { get; }

    /// <summary>This tool's settings from cake.config (folders, default timeouts).</summary>
    public ToolSettings Settings { get; }

    /// <summary>True under --dryrun: tasks print what they would change and change nothing.</summary>
    public bool IsDryRun { get; }

    /// <summary>The run journal: record facts the report must show (versions, backup id, downtime).</summary>
    public RunJournal Journal { get; }

    /// <summary>The run's facts: each recorded once, typed for the later steps and as text in the report.</summary>
    public RunFacts Facts { get; }

    /// <summary>The product modules of this host (profile sections, plans, ClusterInfo lines).</summary>
    public ProductRegistry Products { get; }

    /// <summary>The target this run was asked for (<c>--target</c>, <c>Default</c> when none).</summary>
    public string Target => Argument("target") ?? "Default";

    /// <summary>The secret masker: register every secret value before it could reach a log.</summary>
    public SecretMasker Masker => Session.Masker;

    /// <summary>
    /// How the profile's embedded simulated cluster is started (scenario, state folder, lock wait, run files), or null
    /// when the profile reaches a real cluster. Building it touches nothing: the cluster starts on first use of
    /// <see cref="Kubernetes"/>.
    /// </summary>
    public LocalClusterRequest? LocalClusterRequest { get; }

    /// <summary>The Kubernetes client (retries on 429 / 5xx / dropped connections), created on first use.</summary>
    public IKubernetes Kubernetes => _client.Value;

    /// <summary>This run's identity: the cluster lock's holder (<c>HOST:PID:RUN</c>).</summary>
    public string RunId => _runId ??= KubeRunbooks.Kubernetes.Locking.RunIdentity.ForThisProcess(Path.GetFileName(Journal.Folder));

    /// <summary>Cancelled when the cluster lock this run holds is lost: pass it to every mutation.</summary>
    public CancellationToken LockLost => Session.ClusterLock?.LostToken ?? CancellationToken.None;

    /// <summary>
    /// The plan of this run's target, made on first use by the product module that owns the target (validation and
    /// reads only) and shared by its steps, also under --dryrun. A step of a plan type the target does not make is
    /// refused with one line (exit 2).
    /// </summary>
    public T Plan<T>() where T : class, IRunbookPlan
    {
        var factory = Products.PlanFor(Target);
        var composed = factory is not null && typeof(IComposedPlan).IsAssignableFrom(factory.PlanType) && !typeof(T).IsAssignableFrom(factory.PlanType);
        if (factory is null || (!composed && !typeof(T).IsAssignableFrom(factory.PlanType)))
        {
            throw new InvalidInputException($"These steps run only as part of {string.Join(", ", Products.TargetsPlanning<T>())}, not of '{Target}'.");
        }

        lock (_planLock)
        {
            // Plans are synchronous for IPlannedMutations (dry run): the one place that waits on the cluster reads.
            var plan = _plan ??= factory.Build(this, CancellationToken.None).GetAwaiter().GetResult();
            if (!composed) return (T)plan;
            return ((IComposedPlan)plan).Parts.OfType<T>().SingleOrDefault()
                ?? throw new InvalidInputException($"These steps run only as part of {string.Join(", ", Products.TargetsPlanning<T>())}, not of '{Target}'.");
        }
    }

    /// <summary>The plan of this run's target, or null when the target makes none (a read-only target).</summary>
    public IRunbookPlan? CurrentPlan => Products.PlanFor(Target) is null ? null : Plan<IRunbookPlan>();

    /// <summary>
    /// Drops the plan made from what the cluster showed before the lock was taken: the next use makes it again, now
    /// that no other run can change the cluster. Called by the <c>Lock</c> task once it holds the lock.
    /// </summary>
    public void RevalidateUnderLock()
    {
        lock (_planLock) _plan = null;
    }

    /// <summary>The single value of a command-line argument, or null when absent.</summary>
    public string? Argument(string name) =>
        Arguments.HasArgument(name) ? Arguments.GetArguments(name).LastOrDefault() : null;

    private IKubernetes CreateClient(ILocalClusterFactory? localClusters)
    {
        var configuration = Connection.Configuration;
        if (Connection.IsSimulated)
        {
            if (localClusters is null)
            {
                throw new InvalidInputException($"Profile '{Profile.Name}' uses the embedded simulated cluster, which this host does not provide.");
            }

            var local = localClusters.StartAsync(LocalClusterRequest!, CancellationToken.None).GetAwaiter().GetResult();
            Session.LocalCluster = local;
            configuration = local.Configuration;
            if (configuration.AccessToken is { } token)
            {
                Masker.Register(token);
            }
        }

        return KubernetesClientFactory.Create(configuration!, log: line => Log.Warning(Masker.Mask(line)));
    }

    // The state folder (see LocalStateFolder) keeps the cluster between runs; the kubeconfig and the audit log
    // belong to this run's report folder.
    private LocalClusterRequest BuildLocalClusterRequest(SimulatorSettings simulator, string workingDirectory)
    {
        var cluster = Path.Combine(Journal.Folder, "cluster");
        return new LocalClusterRequest(simulator.Scenario, cluster)
        {
            StateFolder = LocalStateFolder.Of(Profile, Settings, workingDirectory),
            KubeconfigPath = Path.Combine(cluster, "kubeconfig"),
            AuditLogPath = Path.Combine(Journal.Folder, "audit.jsonl"),
            LockWait = Settings.LocalClusterLockWait,
            ReadyWait = Settings.LocalClusterReadyWait,
            Progress = line => Log.Information("{0}", line),
        };
    }

    private static IEnumerable<KeyValuePair<string, string>> FlattenArguments(ICakeArguments arguments) =>
        arguments.GetArguments().SelectMany(pair => pair.Value.DefaultIfEmpty(string.Empty).Select(value => new KeyValuePair<string, string>(pair.Key, value ?? string.Empty)));
}

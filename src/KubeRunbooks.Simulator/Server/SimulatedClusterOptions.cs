using KubeRunbooks.Simulator.Faults;
using KubeRunbooks.Simulator.Runtime;
using KubeRunbooks.Simulator.Store;

namespace KubeRunbooks.Simulator.Server;

/// <summary>How a <see cref="SimulatedCluster"/> is started.</summary>
public sealed class SimulatedClusterOptions
{
    /// <summary>Folder for the cluster's runtime data (kubeconfig, audit log, controllers' and runtime's files). Created if missing.</summary>
    public required string RootFolder { get; init; }

    /// <summary>Loopback port to listen on; 0 (the default) picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>The bearer token clients must send; a random one when null.</summary>
    public string? Token { get; init; }

    /// <summary>Where the kubeconfig is written; <c>RootFolder/kubeconfig</c> when null.</summary>
    public string? KubeconfigPath { get; init; }

    /// <summary>Where the audit log is written; <c>RootFolder/audit.jsonl</c> when null.</summary>
    public string? AuditLogPath { get; init; }

    /// <summary>The container runtime serving pods/log and pods/exec (owned: disposed with the cluster); null answers those with a Status.</summary>
    public IPodRuntime? Runtime { get; init; }

    /// <summary>Controllers started with the cluster and disposed with it, in order.</summary>
    public IReadOnlyList<IController> Controllers { get; init; } = [];

    /// <summary>The fault plan; a new empty one when null.</summary>
    public FaultPlan? Faults { get; init; }

    /// <summary>A store already seeded (a scenario); a new store when null.</summary>
    public ObjectStore? Store { get; init; }

    /// <summary>
    /// Decides SelfSubjectAccessReviews (<c>kubectl auth can-i</c>) and, with <see cref="EnforceRbac"/>, every resource
    /// request; when null, everything is allowed, or RBAC decides when <see cref="EnforceRbac"/> is set.
    /// </summary>
    public Authorization.IAuthorizer? Authorizer { get; init; }

    /// <summary>
    /// Enforce RBAC (Roles, ClusterRoles and their bindings) for service-account tokens, answering 403 as the real
    /// server does; the kubeconfig's administrator token is never restricted.
    /// </summary>
    public bool EnforceRbac { get; init; }

    /// <summary>How often a watch that asked for bookmarks gets one while idle.</summary>
    public TimeSpan WatchBookmarkInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Context, cluster and user name in the kubeconfig.</summary>
    public string ContextName { get; init; } = "simulated";
}

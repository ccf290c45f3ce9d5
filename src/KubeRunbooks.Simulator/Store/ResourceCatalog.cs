namespace KubeRunbooks.Simulator.Store;

/// <summary>The kinds the simulated cluster serves, and lookups by URL segment or kind.</summary>
public static class ResourceCatalog
{
    /// <summary>Namespaces (core, cluster-scoped).</summary>
    public static readonly ResourceKind Namespaces = new("", "v1", "Namespace", "namespaces", "namespace", false, ["ns"], true, false, false);

    /// <summary>Pods (core).</summary>
    public static readonly ResourceKind Pods = new("", "v1", "Pod", "pods", "pod", true, ["po"], true, false, false);

    /// <summary>Services (core).</summary>
    public static readonly ResourceKind Services = new("", "v1", "Service", "services", "service", true, ["svc"], true, false, false);

    /// <summary>ConfigMaps (core).</summary>
    public static readonly ResourceKind ConfigMaps = new("", "v1", "ConfigMap", "configmaps", "configmap", true, ["cm"], false, false, false);

    /// <summary>Secrets (core).</summary>
    public static readonly ResourceKind Secrets = new("", "v1", "Secret", "secrets", "secret", true, [], false, false, false);

    /// <summary>PersistentVolumeClaims (core).</summary>
    public static readonly ResourceKind PersistentVolumeClaims = new("", "v1", "PersistentVolumeClaim", "persistentvolumeclaims", "persistentvolumeclaim", true, ["pvc"], true, false, false);

    /// <summary>Events (core).</summary>
    public static readonly ResourceKind Events = new("", "v1", "Event", "events", "event", true, ["ev"], false, false, false);

    /// <summary>ServiceAccounts (core).</summary>
    public static readonly ResourceKind ServiceAccounts = new("", "v1", "ServiceAccount", "serviceaccounts", "serviceaccount", true, ["sa"], false, false, false);

    /// <summary>Nodes (core, cluster-scoped): the scenario's nodes, where pods are scheduled.</summary>
    public static readonly ResourceKind Nodes = new("", "v1", "Node", "nodes", "node", false, ["no"], true, false, false);

    /// <summary>ReplicaSets (apps): what the Deployment controller scales, one per pod template revision.</summary>
    public static readonly ResourceKind ReplicaSets = new("apps", "v1", "ReplicaSet", "replicasets", "replicaset", true, ["rs"], true, true, true);

    /// <summary>StatefulSets (apps).</summary>
    public static readonly ResourceKind StatefulSets = new("apps", "v1", "StatefulSet", "statefulsets", "statefulset", true, ["sts"], true, true, true);

    /// <summary>Deployments (apps).</summary>
    public static readonly ResourceKind Deployments = new("apps", "v1", "Deployment", "deployments", "deployment", true, ["deploy"], true, true, true);

    /// <summary>Jobs (batch).</summary>
    public static readonly ResourceKind Jobs = new("batch", "v1", "Job", "jobs", "job", true, [], true, false, true);

    /// <summary>CronJobs (batch).</summary>
    public static readonly ResourceKind CronJobs = new("batch", "v1", "CronJob", "cronjobs", "cronjob", true, ["cj"], true, false, true);

    /// <summary>Leases (coordination.k8s.io).</summary>
    public static readonly ResourceKind Leases = new("coordination.k8s.io", "v1", "Lease", "leases", "lease", true, [], false, false, false);

    /// <summary>DeploymentConfigs (apps.openshift.io): OpenShift's workload kind, rolled out by latestVersion / instantiate.</summary>
    public static readonly ResourceKind DeploymentConfigs = new("apps.openshift.io", "v1", "DeploymentConfig", "deploymentconfigs", "deploymentconfig", true, ["dc"], true, true, true);

    /// <summary>Roles (rbac.authorization.k8s.io): namespaced permission rules.</summary>
    public static readonly ResourceKind Roles = new("rbac.authorization.k8s.io", "v1", "Role", "roles", "role", true, [], false, false, false);

    /// <summary>ClusterRoles (rbac.authorization.k8s.io): cluster-wide permission rules.</summary>
    public static readonly ResourceKind ClusterRoles = new("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", "clusterrole", false, [], false, false, false);

    /// <summary>RoleBindings (rbac.authorization.k8s.io): a Role or ClusterRole granted in one namespace.</summary>
    public static readonly ResourceKind RoleBindings = new("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings", "rolebinding", true, [], false, false, false);

    /// <summary>ClusterRoleBindings (rbac.authorization.k8s.io): a ClusterRole granted everywhere.</summary>
    public static readonly ResourceKind ClusterRoleBindings = new("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "clusterrolebindings", "clusterrolebinding", false, [], false, false, false);

    /// <summary>Every kind served, in discovery order.</summary>
    public static IReadOnlyList<ResourceKind> All { get; } =
        [Namespaces, Pods, Services, ConfigMaps, Secrets, PersistentVolumeClaims, Events, ServiceAccounts, Nodes, StatefulSets, Deployments, ReplicaSets, Jobs, CronJobs, Leases, DeploymentConfigs,
         Roles, ClusterRoles, RoleBindings, ClusterRoleBindings];

    /// <summary>The API groups served, core ("") first, each with its version.</summary>
    public static IReadOnlyList<string> Groups { get; } = All.Select(k => k.Group).Distinct().ToList();

    /// <summary>The kind served at group/version/plural, or null.</summary>
    public static ResourceKind? Find(string group, string version, string plural) =>
        All.FirstOrDefault(k => k.Group == group && k.Version == version && k.Plural == plural);

    /// <summary>The kind for an apiVersion and kind pair, or null.</summary>
    public static ResourceKind? FindByKind(string apiVersion, string kind) =>
        All.FirstOrDefault(k => k.ApiVersion == apiVersion && k.Kind == kind);
}

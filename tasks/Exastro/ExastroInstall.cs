using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using KubeRunbooks.Clusters;
using KubeRunbooks.Errors;
using KubeRunbooks.Kubernetes.Pods;
using KubeRunbooks.Kubernetes.Workloads;
using KubeRunbooks.Runbooks;
using KubeRunbooks.Runbooks.Ledger;

namespace KubeRunbooks.Tasks.Exastro;

/// <summary>
/// The Exastro install as a run finds it before any change: the reverse proxy and the backyard Deployments, the
/// ConfigMaps and Secrets the maintenance pod reads, the storage claim, which database layout, and the unfinished
/// operation recorded on the reverse proxy. Every missing piece is one <see cref="InvalidInputException"/>.
/// </summary>
public sealed record ExastroInstall
{
    /// <summary>The profile's Exastro names.</summary>
    public required ExastroSettings Settings { get; init; }

    /// <summary>The profile name.</summary>
    public required string Cluster { get; init; }

    /// <summary>The reverse proxy Deployment (stopped first, started last; carries the operation ledger).</summary>
    public required WorkloadRef ReverseProxy { get; init; }

    /// <summary>The backyard Deployments (stopped after the reverse proxy, started before it).</summary>
    public required IReadOnlyList<WorkloadRef> Backyard { get; init; }

    /// <summary>The replicas each workload has now (the fallback when none was recorded).</summary>
    public required IReadOnlyDictionary<WorkloadRef, int> Replicas { get; init; }

    /// <summary>Platform's server, then ITA's when it has its own (the seed's "分離" tab).</summary>
    public required IReadOnlyList<ExastroDatabase> Databases { get; init; }

    /// <summary>True when ITA has its own database server.</summary>
    public bool SeparateServers => Databases.Count > 1;

    /// <summary>The unfinished operation on the reverse proxy, or null.</summary>
    public OperationRecord? Unfinished { get; init; }

    /// <summary>A profile replica count for a workload with no record: what it has now, at least 1.</summary>
    public int FallbackReplicas(WorkloadRef workload) => Math.Max(1, Replicas.GetValueOrDefault(workload));

    /// <summary>Reads the install (reads only).</summary>
    public static async Task<ExastroInstall> ReadAsync(RunbookContext context, CancellationToken cancellationToken)
    {
        var settings = context.Profile.Require<ExastroSettings>();
        var ns = settings.Namespace;
        var client = context.Kubernetes;
        var ops = new WorkloadOperations(client);
        var where = $"cluster '{context.Profile.Name}' (profile {context.Profile.SourcePath})";

        var proxy = WorkloadRef.Deployment(ns, settings.ReverseProxy);
        var proxyState = await ops.TryGetAsync(proxy, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidInputException($"{proxy} does not exist on {where}, exastro.reverseProxy: it is the reverse proxy the procedure stops first.");
        var replicas = new Dictionary<WorkloadRef, int> { [proxy] = proxyState.DesiredReplicas };

        var backyard = new List<WorkloadRef>();
        if (settings.Backyard.Count > 0)
        {
            foreach (var name in settings.Backyard)
            {
                var reference = WorkloadRef.Deployment(ns, name);
                var state = await ops.TryGetAsync(reference, cancellationToken).ConfigureAwait(false)
                    ?? throw new InvalidInputException($"{reference} does not exist on {where}, exastro.backyard.");
                backyard.Add(reference);
                replicas[reference] = state.DesiredReplicas;
            }
        }
        else
        {
            var list = await client.AppsV1.ListNamespacedDeploymentAsync(ns, cancellationToken: cancellationToken).ConfigureAwait(false);
            foreach (var d in list.Items.Where(d => d.Metadata.Name.StartsWith(ExastroSettings.BackyardPrefix, StringComparison.Ordinal)).OrderBy(d => d.Metadata.Name, StringComparer.Ordinal))
            {
                var reference = WorkloadRef.Deployment(ns, d.Metadata.Name);
                backyard.Add(reference);
                replicas[reference] = d.Spec?.Replicas ?? 1;
            }
        }

        var pf = await RequireConfigMapAsync(client, ns, settings.PlatformDatabaseParams, ["DB_HOST", "DB_PORT", "DB_DATABASE"], where, "platformDatabaseParams", cancellationToken).ConfigureAwait(false);
        var ita = await RequireConfigMapAsync(client, ns, settings.ItaDatabaseParams, ["DB_HOST", "DB_PORT", "DB_DATABASE"], where, "itaDatabaseParams", cancellationToken).ConfigureAwait(false);
        await RequireConfigMapAsync(client, ns, settings.ItaGlobalParams, ["STORAGEPATH"], where, "itaGlobalParams", cancellationToken).ConfigureAwait(false);
        await RequireSecretAsync(client, ns, settings.PlatformDatabaseSecret, ["DB_ADMIN_USER", ExastroDatabase.PasswordKey], where, "platformDatabaseSecret", cancellationToken).ConfigureAwait(false);
        await RequireSecretAsync(client, ns, settings.ItaDatabaseSecret, ["DB_ADMIN_USER", ExastroDatabase.PasswordKey], where, "itaDatabaseSecret", cancellationToken).ConfigureAwait(false);
        try
        {
            await client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync(settings.StorageClaim, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            throw new InvalidInputException($"PersistentVolumeClaim {ns}/{settings.StorageClaim} does not exist on {where}, exastro.storageClaim: the maintenance pod mounts it at /storage.");
        }
        if (await TransientPod.PresenceAsync(client, ns, settings.MaintenancePod, MaintenancePodManifest.Purpose, cancellationToken).ConfigureAwait(false) == TransientPodPresence.Foreign)
            throw new InvalidInputException($"Pod {ns}/{settings.MaintenancePod} exists and was not created by this tool (a maintenance pod made by hand?): delete it first (kubectl delete pod {settings.MaintenancePod} -n {ns}).");

        var pfEndpoint = $"{pf["DB_HOST"]}:{pf["DB_PORT"]}";
        var itaEndpoint = $"{ita["DB_HOST"]}:{ita["DB_PORT"]}";
        var separate = settings.DatabaseServers switch
        {
            "shared" => false,
            "separate" => true,
            _ => !string.Equals(pfEndpoint, itaEndpoint, StringComparison.OrdinalIgnoreCase),
        };
        var databases = new List<ExastroDatabase> { new("platform", "PF", settings.PlatformDatabaseSecret, pfEndpoint) };
        if (separate) databases.Add(new ExastroDatabase("ita", "ITA", settings.ItaDatabaseSecret, itaEndpoint));

        OperationRecord? unfinished;
        try
        {
            unfinished = OperationLedger.From(proxyState.Annotations, proxy);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidInputException(e.Message, e);
        }

        return new ExastroInstall
        {
            Settings = settings,
            Cluster = context.Profile.Name,
            ReverseProxy = proxy,
            Backyard = backyard,
            Replicas = replicas,
            Databases = databases,
            Unfinished = unfinished,
        };
    }

    private static async Task<IDictionary<string, string>> RequireConfigMapAsync(IKubernetes client, string ns, string name, string[] keys, string where, string key, CancellationToken cancellationToken)
    {
        V1ConfigMap map;
        try
        {
            map = await client.CoreV1.ReadNamespacedConfigMapAsync(name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            throw new InvalidInputException($"ConfigMap {ns}/{name} does not exist on {where}, exastro.{key}: the maintenance pod reads it.");
        }
        var data = map.Data ?? new Dictionary<string, string>();
        if (keys.FirstOrDefault(k => !data.ContainsKey(k)) is { } missing)
            throw new InvalidInputException($"ConfigMap {ns}/{name} has no key {missing}: the maintenance pod reads it.");
        return data;
    }

    private static async Task RequireSecretAsync(IKubernetes client, string ns, string name, string[] keys, string where, string key, CancellationToken cancellationToken)
    {
        V1Secret secret;
        try
        {
            secret = await client.CoreV1.ReadNamespacedSecretAsync(name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            throw new InvalidInputException($"Secret {ns}/{name} does not exist on {where}, exastro.{key}: the maintenance pod reads it.");
        }
        var data = secret.Data ?? new Dictionary<string, byte[]>();
        if (keys.FirstOrDefault(k => !data.ContainsKey(k)) is { } missing)
            throw new InvalidInputException($"Secret {ns}/{name} has no key {missing}: the maintenance pod reads it.");
    }
}

using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using KubeRunbooks.Simulator.Scenarios;
using KubeRunbooks.Simulator.Server;
using KubeRunbooks.Tests.Support;

namespace KubeRunbooks.Tests.Vantiq;

/// <summary>
/// One simulated cluster seeded with the standard Vantiq install (scenarios/vantiq.yaml) and a working folder whose
/// profile <c>test</c> reaches it by kubeconfig: the built host runs the runbooks against it as against a real
/// cluster, and the test reads the cluster's audit log and objects.
/// </summary>
public sealed class VantiqWorld : IAsyncDisposable
{
    /// <summary>The restore command of the test profile: checks the archive the simulated backup wrote.</summary>
    public const string RestoreCommand = "gzip -t \"/backup/$BACKUP_ID.archive.gz\" && echo \"mongorestore: restored $BACKUP_ID\"";

    private VantiqWorld(string root, SimulatedCluster cluster, HostWorkspace workspace)
    {
        Root = root;
        Cluster = cluster;
        Workspace = workspace;
        Client = new k8s.Kubernetes(cluster.ClientConfiguration);
    }

    /// <summary>The cluster's folder.</summary>
    public string Root { get; }

    /// <summary>The cluster.</summary>
    public SimulatedCluster Cluster { get; }

    /// <summary>The host's working folder (profile <c>test</c>).</summary>
    public HostWorkspace Workspace { get; }

    /// <summary>A client of the cluster, for the test's own reads and setup.</summary>
    public k8s.Kubernetes Client { get; }

    /// <summary>
    /// Starts the cluster (pods ready after <paramref name="readinessDelay"/>) and writes the profile; with
    /// <paramref name="nodes"/> the cluster has those nodes (labelled <c>topology.kubernetes.io/zone</c>) instead of its one default node.
    /// </summary>
    public static async Task<VantiqWorld> StartAsync(TimeSpan? readinessDelay = null, string profileExtra = "", IReadOnlyList<string>? nodes = null, bool enforceRbac = false)
    {
        var root = Path.Combine(Path.GetTempPath(), "kr-vq-" + Guid.NewGuid().ToString("N")[..12]);
        var scenario = Scenario.Load("vantiq");
        if (nodes is not null)
        {
            var nodeObjects = nodes.Select(n => new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Node",
                ["metadata"] = new JsonObject { ["name"] = n, ["labels"] = new JsonObject { ["topology.kubernetes.io/zone"] = "zone-" + n } },
                ["spec"] = new JsonObject(),
            });
            scenario = new Scenario
            {
                Name = scenario.Name, Files = scenario.Files, ReadinessDelay = scenario.ReadinessDelay, ImageCommands = scenario.ImageCommands,
                Faults = scenario.Faults, Objects = [.. nodeObjects, .. scenario.Objects],
            };
        }

        var cluster = await SimulatedClusterBuilder.StartAsync(scenario, root,
            new ScenarioClusterSettings { ReadinessDelay = readinessDelay ?? TimeSpan.FromMilliseconds(50), RestartBackOff = TimeSpan.FromMilliseconds(200), EnforceRbac = enforceRbac });
        var workspace = new HostWorkspace();
        var world = new VantiqWorld(root, cluster, workspace);
        world.WriteProfile(profileExtra);
        await world.WaitForReplicasAsync(("vantiq", 3), ("metrics-collector", 1), ("vision-analytics", 2));
        return world;
    }

    /// <summary>(Re)writes the profile <c>test</c>; <paramref name="vantiqExtra"/> adds keys to its vantiq section (indented two spaces).</summary>
    public void WriteProfile(string vantiqExtra = "") =>
        Workspace.WriteKubeconfigProfile("test", Cluster.KubeconfigPath,
            "timeouts: { default: 60s, podReady: 60s, job: 60s, migration: 60s, rollout: 60s, deploy: 60s }\n" +
            $"vantiq:\n  restoreCommand: '{RestoreCommand}'\n{vantiqExtra}");

    /// <summary>Runs the host with <c>--cluster=test</c> and the arguments.</summary>
    public HostRun Run(params string[] args) => Workspace.Run(args.Prepend("--cluster=test").ToArray());

    /// <summary>The audit log's entries so far.</summary>
    public IReadOnlyList<AuditLine> Audit() =>
        File.Exists(Cluster.AuditLogPath)
            ? File.ReadAllLines(Cluster.AuditLogPath).Where(l => l.Length > 0).Select(l => new AuditLine(JsonNode.Parse(l)!.AsObject())).ToList()
            : [];

    /// <summary>The StatefulSet now.</summary>
    public Task<V1StatefulSet> StatefulSetAsync(string name) => Client.AppsV1.ReadNamespacedStatefulSetAsync(name, "vantiq");

    /// <summary>The image tag of a container (or init container) of a StatefulSet's template.</summary>
    public async Task<string> TagAsync(string statefulSet, string container)
    {
        var spec = (await StatefulSetAsync(statefulSet)).Spec.Template.Spec;
        var image = spec.Containers.Concat(spec.InitContainers ?? []).Single(c => c.Name == container).Image;
        return image[(image.LastIndexOf(':') + 1)..];
    }

    /// <summary>The node each pod of the namespace <c>vantiq</c> with <c>app=APP</c> runs on, by pod name.</summary>
    public async Task<IReadOnlyDictionary<string, string>> PlacementAsync(string app) =>
        (await Client.CoreV1.ListNamespacedPodAsync("vantiq", labelSelector: $"app={app}")).Items
            .Where(p => p.Metadata.DeletionTimestamp is null)
            .ToDictionary(p => p.Metadata.Name, p => p.Spec.NodeName ?? "");

    /// <summary>The nodes that carry a taint with <paramref name="key"/>.</summary>
    public async Task<IReadOnlyList<string>> TaintedAsync(string key) =>
        (await Client.CoreV1.ListNodeAsync()).Items.Where(n => n.Spec?.Taints?.Any(t => t.Key == key) == true).Select(n => n.Metadata.Name).ToList();

    /// <summary>The annotations of a StatefulSet.</summary>
    public async Task<IDictionary<string, string>> AnnotationsAsync(string statefulSet) =>
        (await StatefulSetAsync(statefulSet)).Metadata.Annotations ?? new Dictionary<string, string>();

    /// <summary>Waits (2 min at most: containers start slowly on a loaded machine) until each StatefulSet has its replicas ready.</summary>
    public async Task WaitForReplicasAsync(params (string Name, int Replicas)[] expected)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            var all = true;
            foreach (var (name, replicas) in expected)
            {
                var s = await StatefulSetAsync(name);
                all &= s.Spec.Replicas == replicas && (s.Status?.ReadyReplicas ?? 0) == replicas;
            }
            if (all) return;
            if (DateTime.UtcNow > deadline) Assert.Fail($"the statefulsets did not reach {string.Join(", ", expected)}");
            await Task.Delay(50);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Cluster.DisposeAsync();
        Workspace.Dispose();
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { /* a leftover temp folder is harmless */ }
    }
}

/// <summary>One line of the simulated API server's audit log.</summary>
public sealed record AuditLine(JsonObject Json)
{
    /// <summary>create, update, patch, delete.</summary>
    public string Verb => (string)Json["verb"]!;

    /// <summary>The plural resource.</summary>
    public string Resource => (string?)Json["objectRef"]?["resource"] ?? "";

    /// <summary>The subresource, or null.</summary>
    public string? Subresource => (string?)Json["objectRef"]?["subresource"];

    /// <summary>The object's name.</summary>
    public string? Name => (string?)Json["objectRef"]?["name"];

    /// <summary>The request body.</summary>
    public JsonNode? Body => Json["requestObject"];

    /// <summary>The response code.</summary>
    public int Code => (int)Json["responseStatus"]!["code"]!;

    /// <summary>A replica change (<c>vantiq=0</c>) when this is a scale, else null.</summary>
    public string? Scale => Subresource == "scale" && Body?["spec"]?["replicas"] is { } r ? $"{Name}={(int)r}" : null;

    /// <summary>When the server received it.</summary>
    public DateTimeOffset Received => DateTimeOffset.Parse((string)Json["requestReceivedTimestamp"]!, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>True for a patch of a StatefulSet's pod template images.</summary>
    public bool IsImageChange => Resource == "statefulsets" && Verb == "patch" && Subresource is null && Body?["spec"]?["template"] is not null;
}

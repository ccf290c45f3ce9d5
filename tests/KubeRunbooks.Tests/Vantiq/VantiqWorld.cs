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
public sealed class VantiqWorld : ClusterWorld
{
    /// <summary>The restore command of the test profile: checks the archive the simulated backup wrote.</summary>
    public const string RestoreCommand = "gzip -t \"/backup/$BACKUP_ID.archive.gz\" && echo \"mongorestore: restored $BACKUP_ID\"";

    private VantiqWorld(TestCluster cluster) : base(cluster)
    {
    }

    /// <summary>
    /// Starts the cluster (pods ready after <paramref name="readinessDelay"/>) and writes the profile; with
    /// <paramref name="nodes"/> the cluster has those nodes (labelled <c>topology.kubernetes.io/zone</c>) instead of its one default node.
    /// </summary>
    public static async Task<VantiqWorld> StartAsync(TimeSpan? readinessDelay = null, string profileExtra = "", IReadOnlyList<string>? nodes = null, bool enforceRbac = false)
    {
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

        var cluster = await TestCluster.OfScenario(scenario).WithReadinessDelay(readinessDelay ?? TimeSpan.FromMilliseconds(50)).WithRbac(enforceRbac).StartAsync("vq");
        var world = new VantiqWorld(cluster);
        world.WriteProfile(profileExtra);
        await world.WaitForReplicasAsync(("vantiq", 3), ("metrics-collector", 1), ("vision-analytics", 2));
        return world;
    }

    /// <summary>(Re)writes the profile <c>test</c>; <paramref name="vantiqExtra"/> adds keys to its vantiq section (indented two spaces).</summary>
    public void WriteProfile(string vantiqExtra = "") =>
        WriteClusterProfile("test",
            "timeouts: { default: 60s, podReady: 60s, job: 60s, migration: 60s, rollout: 60s, deploy: 60s }\n" +
            $"vantiq:\n  restoreCommand: '{RestoreCommand}'\n{vantiqExtra}");

    /// <summary>Runs the host with <c>--cluster=test</c> and the arguments.</summary>
    public override HostRun Run(params string[] args) => base.Run(args.Prepend("--cluster=test").ToArray());

    /// <summary>Runs the host with environment variables, <c>--cluster=test</c> and the arguments.</summary>
    public override HostRun Run(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        base.Run(environment, args.Prepend("--cluster=test").ToArray());

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
    public Task WaitForReplicasAsync(params (string Name, int Replicas)[] expected) =>
        Eventually.UntilAsync(async () =>
        {
            var all = true;
            foreach (var (name, replicas) in expected)
            {
                var s = await StatefulSetAsync(name);
                all &= s.Spec.Replicas == replicas && (s.Status?.ReadyReplicas ?? 0) == replicas;
            }
            return all;
        }, $"the statefulsets reach {string.Join(", ", expected)}");
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

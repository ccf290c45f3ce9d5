using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using KubeRunbooks.Kubernetes.Nodes;
using KubeRunbooks.Tests.Kubernetes.Support;

namespace KubeRunbooks.Tests.Kubernetes.Nodes;

/// <summary>
/// Taints added and removed on Node objects by the real client over HTTP, against a canned server holding two nodes
/// (the simulated cluster serves no nodes yet): other taints kept, a conflict read again and retried.
/// </summary>
[TestFixture]
public sealed class NodeTaintsHttpTests
{
    private static JsonObject Node(string name, params (string Key, string Effect)[] taints) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Node",
        ["metadata"] = new JsonObject { ["name"] = name, ["resourceVersion"] = "1" },
        ["spec"] = new JsonObject { ["taints"] = new JsonArray(taints.Select(t => (JsonNode)new JsonObject { ["key"] = t.Key, ["effect"] = t.Effect }).ToArray()) },
    };

    private static CannedHttpServer Serve(Dictionary<string, JsonObject> nodes, int conflicts)
    {
        var left = conflicts;
        return new CannedHttpServer(request =>
        {
            lock (nodes)
            {
                if (request.Method == "GET" && request.Path == "/api/v1/nodes")
                    return CannedResponse.Json(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "NodeList", ["metadata"] = new JsonObject(), ["items"] = new JsonArray(nodes.Values.Select(n => n.DeepClone()).ToArray()) }.ToJsonString());
                var name = request.Path.Split('/').Last();
                if (request.Method == "GET") return CannedResponse.Json(nodes[name].ToJsonString());
                if (request.Method == "PUT")
                {
                    if (left-- > 0) return CannedResponse.Json("""{"kind":"Status","apiVersion":"v1","code":409,"reason":"Conflict"}""", 409);
                    nodes[name] = JsonNode.Parse(request.Body)!.AsObject();
                    return CannedResponse.Json(request.Body);
                }
                return CannedResponse.Json("""{"kind":"Status","code":405}""", 405);
            }
        });
    }

    private static string[] Keys(JsonObject node) => (node["spec"]?["taints"] as JsonArray ?? []).Select(t => $"{(string)t!["key"]!}:{(string)t["effect"]!}").ToArray();

    [Test]
    public async Task A_taint_is_added_and_removed_keeping_the_others_and_a_conflict_is_retried()
    {
        var nodes = new Dictionary<string, JsonObject> { ["node-a"] = Node("node-a", ("dedicated", "NoExecute")), ["node-b"] = Node("node-b") };
        await using var server = Serve(nodes, conflicts: 1);
        using var client = new k8s.Kubernetes(new KubernetesClientConfiguration { Host = server.Url });
        var taints = new NodeTaints(client);

        await taints.AddAsync("node-a", new V1Taint { Key = "kuberunbooks.io/rebalance", Value = "true", Effect = "NoSchedule" });
        Assert.That(Keys(nodes["node-a"]), Is.EquivalentTo(new[] { "dedicated:NoExecute", "kuberunbooks.io/rebalance:NoSchedule" }));
        Assert.That(await taints.TaintedAsync("kuberunbooks.io/rebalance"), Is.EqualTo(new[] { "node-a" }));

        await taints.RemoveAsync("node-a", "kuberunbooks.io/rebalance", "NoSchedule");
        Assert.That(Keys(nodes["node-a"]), Is.EqualTo(new[] { "dedicated:NoExecute" }));
        Assert.That(server.Requests.Count(r => r.Method == "PUT"), Is.EqualTo(3), "one conflict retried, then one write each");
    }

    [Test]
    public async Task Removing_a_taint_the_node_lacks_writes_nothing()
    {
        var nodes = new Dictionary<string, JsonObject> { ["node-a"] = Node("node-a") };
        await using var server = Serve(nodes, conflicts: 0);
        using var client = new k8s.Kubernetes(new KubernetesClientConfiguration { Host = server.Url });

        await new NodeTaints(client).RemoveAsync("node-a", "kuberunbooks.io/rebalance", "NoSchedule");

        Assert.That(server.Requests.Count(r => r.Method == "PUT"), Is.Zero);
    }
}

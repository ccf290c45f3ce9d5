using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using KubeRunbooks.Simulator.Store;
using KubeRunbooks.Tests.Support;

namespace KubeRunbooks.Tests.Simulator.Controllers;

/// <summary>
/// OpenShift DeploymentConfigs in the simulated cluster, driven by the real KubernetesClient and kubectl: discovery,
/// get, scale subresource, pods labelled deploymentConfig=NAME, rollouts by instantiate, by a latestVersion bump and
/// by a template change, the Recreate strategy.
/// </summary>
[TestFixture]
public sealed class DeploymentConfigControllerTests : ScenarioClusterFixture
{
    private const string Group = "apps.openshift.io";

    /// <inheritdoc />
    protected override string ScenarioName => "openshift";

    [Test]
    public async Task Kubectl_discovers_lists_and_gets_deployment_configs()
    {
        var ns = await NewNamespaceAsync();
        await CreateAsync(ns, "system-app", 1);

        var resources = (await Kubectl.RunAsync("api-resources", "--api-group=apps.openshift.io")).EnsureSuccess().Stdout;
        var list = (await Kubectl.RunAsync("get", "dc", "-n", ns)).EnsureSuccess().Stdout;
        var json = JsonNode.Parse((await Kubectl.RunAsync("get", "deploymentconfig.apps.openshift.io/system-app", "-n", ns, "-o", "json")).EnsureSuccess().Stdout)!;

        Assert.That(resources, Does.Contain("deploymentconfigs").And.Contain("dc").And.Contain("DeploymentConfig"));
        Assert.That(list, Does.Contain("system-app"));
        Assert.That((string?)json["apiVersion"], Is.EqualTo("apps.openshift.io/v1"));
    }

    [Test]
    public async Task The_controller_creates_pods_labelled_deploymentConfig_and_reports_the_first_version()
    {
        var ns = await NewNamespaceAsync();
        await CreateAsync(ns, "system-mysql", 2);

        await Eventually.UntilAsync(async () => (await PodsAsync(ns, "deploymentConfig=system-mysql")).Count(IsReady) == 2, "2 ready pods");
        var pods = await PodsAsync(ns, "deploymentConfig=system-mysql");
        Assert.That(pods.Select(p => p.Metadata.Labels["deployment"]), Is.All.EqualTo("system-mysql-1"));
        Assert.That(pods.Select(p => p.Metadata.Name), Is.All.StartsWith("system-mysql-1-"));
        await Eventually.UntilAsync(async () => (long?)(await GetAsync(ns, "system-mysql"))["status"]?["readyReplicas"] == 2, "status shows 2 ready");
        Assert.That((long?)(await GetAsync(ns, "system-mysql"))["status"]!["latestVersion"], Is.EqualTo(1));
    }

    [Test]
    public async Task The_scale_subresource_scales_with_kubectl_and_the_client()
    {
        var ns = await NewNamespaceAsync();
        await CreateAsync(ns, "backend-worker", 1);

        (await Kubectl.RunAsync("scale", "dc/backend-worker", "-n", ns, "--replicas=3")).EnsureSuccess();
        await Eventually.UntilAsync(async () => (await PodsAsync(ns, "deploymentConfig=backend-worker")).Count(IsReady) == 3, "3 ready pods");
        var scale = await Client.CustomObjects.GetNamespacedCustomObjectScaleAsync<JsonObject>(Group, "v1", ns, "deploymentconfigs", "backend-worker");
        Assert.That((long?)scale["spec"]!["replicas"], Is.EqualTo(3));
        Assert.That((string?)scale["status"]!["selector"], Is.EqualTo("deploymentConfig=backend-worker"));

        await Client.CustomObjects.PatchNamespacedCustomObjectScaleAsync<JsonObject>(
            new V1Patch("{\"spec\":{\"replicas\":0}}", V1Patch.PatchType.MergePatch), Group, "v1", ns, "deploymentconfigs", "backend-worker");
        await Eventually.UntilAsync(async () => (await PodsAsync(ns, "deploymentConfig=backend-worker")).Count == 0, "no pods");
    }

    [Test]
    public async Task Instantiate_rolls_out_a_new_version_and_removes_the_old_pods()
    {
        var ns = await NewNamespaceAsync();
        await CreateAsync(ns, "backend-redis", 1);
        await Eventually.UntilAsync(async () => (await PodsAsync(ns, "deployment=backend-redis-1")).Any(IsReady), "version 1 ready");
        var body = Path.Combine(Root, $"request-{ns}.json");
        await File.WriteAllTextAsync(body, "{\"kind\":\"DeploymentRequest\",\"apiVersion\":\"apps.openshift.io/v1\",\"name\":\"backend-redis\",\"latest\":true,\"force\":true}");

        var answer = (await Kubectl.RunAsync("create", "--raw", $"/apis/apps.openshift.io/v1/namespaces/{ns}/deploymentconfigs/backend-redis/instantiate", "-f", body)).EnsureSuccess().Stdout;

        Assert.That((long?)JsonNode.Parse(answer)!["status"]!["latestVersion"], Is.EqualTo(2));
        await Eventually.UntilAsync(async () =>
        {
            var pods = await PodsAsync(ns, "deploymentConfig=backend-redis");
            return pods.Count == 1 && pods[0].Metadata.Labels["deployment"] == "backend-redis-2" && IsReady(pods[0]);
        }, "only a ready version-2 pod");
        (await Kubectl.RunAsync("wait", "-n", ns, "dc/backend-redis", "--for=jsonpath={.status.updatedReplicas}=1", "--timeout=30s")).EnsureSuccess();
    }

    [Test]
    public async Task A_latest_version_bump_through_the_status_subresource_rolls_out()
    {
        var ns = await NewNamespaceAsync();
        await CreateAsync(ns, "system-redis", 1);
        await Eventually.UntilAsync(async () => (await PodsAsync(ns, "deployment=system-redis-1")).Any(IsReady), "version 1 ready");

        await Client.CustomObjects.PatchNamespacedCustomObjectStatusAsync<JsonObject>(
            new V1Patch("{\"status\":{\"latestVersion\":2}}", V1Patch.PatchType.MergePatch), Group, "v1", ns, "deploymentconfigs", "system-redis");

        await Eventually.UntilAsync(async () => (await PodsAsync(ns, "deploymentConfig=system-redis")).Select(p => p.Metadata.Labels["deployment"]).SequenceEqual(["system-redis-2"]),
            "version 2 replaced version 1");
    }

    [Test]
    public async Task A_template_change_starts_a_version_only_with_the_config_change_trigger()
    {
        var ns = await NewNamespaceAsync();
        await CreateAsync(ns, "with-trigger", 1);
        await CreateAsync(ns, "no-trigger", 1, triggers: new JsonArray());
        await Eventually.UntilAsync(async () => (await PodsAsync(ns, "deploymentConfig=with-trigger")).Any(IsReady), "with-trigger ready");

        foreach (var name in new[] { "with-trigger", "no-trigger" })
            await Client.CustomObjects.PatchNamespacedCustomObjectAsync<JsonObject>(
                new V1Patch("{\"spec\":{\"template\":{\"metadata\":{\"annotations\":{\"changed\":\"1\"}}}}}", V1Patch.PatchType.MergePatch), Group, "v1", ns, "deploymentconfigs", name);

        await Eventually.UntilAsync(async () => (await PodsAsync(ns, "deployment=with-trigger-2")).Any(IsReady), "with-trigger at version 2");
        await Eventually.UntilAsync(async () => (long?)(await GetAsync(ns, "no-trigger"))["status"]?["observedGeneration"] == 2, "no-trigger observed the change");
        Assert.That((long?)(await GetAsync(ns, "no-trigger"))["status"]!["latestVersion"], Is.EqualTo(0), "no trigger, no version");
        Assert.That(await PodsAsync(ns, "deploymentConfig=no-trigger"), Is.Empty);
    }

    [Test]
    public async Task The_recreate_strategy_removes_the_old_pod_before_the_new_one_is_created()
    {
        var ns = await NewNamespaceAsync();
        await CreateAsync(ns, "system-mysql", 1, strategy: "Recreate");
        await Eventually.UntilAsync(async () => (await PodsAsync(ns, "deployment=system-mysql-1")).Any(IsReady), "version 1 ready");
        using var events = Cluster.Store.Watch(ResourceCatalog.Pods, ns, fromVersion: Cluster.Store.CurrentVersion);

        await Client.CustomObjects.PatchNamespacedCustomObjectStatusAsync<JsonObject>(
            new V1Patch("{\"status\":{\"latestVersion\":2}}", V1Patch.PatchType.MergePatch), Group, "v1", ns, "deploymentconfigs", "system-mysql");
        await Eventually.UntilAsync(async () => (await PodsAsync(ns, "deployment=system-mysql-2")).Any(IsReady), "version 2 ready");

        var order = new List<string>();
        while (events.Events.TryRead(out var e))
            if (e.Type is StoreEventType.Added or StoreEventType.Deleted)
                order.Add($"{e.Type} {e.Object["metadata"]!["labels"]!["deployment"]}");
        Assert.That(order, Is.EqualTo(new[] { "Deleted system-mysql-1", "Added system-mysql-2" }));
    }

    [Test]
    public async Task A_recreate_rollout_starts_the_new_pod_only_once_the_old_pods_container_has_stopped()
    {
        // The old container takes 2 s to stop after TERM and writes a mark as it ends; the new one records at its start
        // whether that mark exists. A new pod started while the old one still ran (both on one volume) would see none.
        var ns = await NewNamespaceAsync();
        var script = $"d=/shared/{ns}; mkdir -p $d; if [ -e $d/old-stopped ]; then echo after > $d/new-started; else echo before >> $d/new-started; fi; " +
            $"trap 'sleep 2; echo done > $d/old-stopped; exit 0' TERM; echo up > $d/trap-$HOSTNAME; while true; do sleep 0.2; done";
        await CreateAsync(ns, "system-redis", 1, strategy: "Recreate", shape: spec =>
        {
            spec["terminationGracePeriodSeconds"] = 20;
            spec["volumes"] = new JsonArray(new JsonObject { ["name"] = "shared", ["hostPath"] = new JsonObject { ["path"] = "/kr-tests-shared" } });
            var container = spec["containers"]![0]!.AsObject();
            container["command"] = new JsonArray("sh", "-c", script);
            container["volumeMounts"] = new JsonArray(new JsonObject { ["name"] = "shared", ["mountPath"] = "/shared" });
        });
        await Eventually.UntilAsync(async () => (await PodsAsync(ns, "deployment=system-redis-1")).Any(IsReady), "version 1 ready");
        var old = (await PodsAsync(ns, "deployment=system-redis-1")).Single().Metadata.Name;
        await Eventually.UntilAsync(async () => (await ShAsync(ns, old, $"ls /shared/{ns}")).Contains("trap-" + old, StringComparison.Ordinal), "the old pod's TERM trap is set");
        await ShAsync(ns, old, $"rm -f /shared/{ns}/new-started");

        await Client.CustomObjects.PatchNamespacedCustomObjectStatusAsync<JsonObject>(
            new V1Patch("{\"status\":{\"latestVersion\":2}}", V1Patch.PatchType.MergePatch), Group, "v1", ns, "deploymentconfigs", "system-redis");
        await Eventually.UntilAsync(async () => (await PodsAsync(ns, "deployment=system-redis-2")).Any(IsReady), "version 2 ready");

        var fresh = (await PodsAsync(ns, "deployment=system-redis-2")).Single().Metadata.Name;
        await Eventually.UntilAsync(async () => (await ShAsync(ns, fresh, $"cat /shared/{ns}/new-started")).Length > 0, "the new pod recorded its start");
        Assert.That((await ShAsync(ns, fresh, $"cat /shared/{ns}/new-started")).Trim(), Is.EqualTo("after"),
            "the new pod started only after the old pod's container had stopped");
    }

    private async Task<string> ShAsync(string ns, string pod, string script) =>
        (await Kubectl.RunAsync("exec", pod, "-n", ns, "--", "sh", "-c", script + " 2>/dev/null; true")).EnsureSuccess().Stdout;

    private async Task CreateAsync(string ns, string name, int replicas, string strategy = "Rolling", JsonArray? triggers = null, Action<JsonObject>? shape = null)
    {
        var dc = new JsonObject
        {
            ["apiVersion"] = "apps.openshift.io/v1",
            ["kind"] = "DeploymentConfig",
            ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { ["app"] = "3scale-api-management" } },
            ["spec"] = new JsonObject
            {
                ["replicas"] = replicas,
                ["selector"] = new JsonObject { ["deploymentConfig"] = name },
                ["strategy"] = new JsonObject { ["type"] = strategy },
                ["template"] = new JsonObject
                {
                    ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["deploymentConfig"] = name, ["app"] = "3scale-api-management" } },
                    ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = name, ["image"] = "example/idle:1" }) },
                },
            },
        };
        if (triggers is not null) dc["spec"]!["triggers"] = triggers;
        shape?.Invoke(dc["spec"]!["template"]!["spec"]!.AsObject());
        await Client.CustomObjects.CreateNamespacedCustomObjectAsync(dc, Group, "v1", ns, "deploymentconfigs");
    }

    private Task<JsonObject> GetAsync(string ns, string name) =>
        Client.CustomObjects.GetNamespacedCustomObjectAsync<JsonObject>(Group, "v1", ns, "deploymentconfigs", name);
}

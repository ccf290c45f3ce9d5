using k8s;
using k8s.Models;
using KubeRunbooks.Tests.Simulator.Controllers;
using KubeRunbooks.Tests.Support;

namespace KubeRunbooks.Tests.Simulator.Scheduling;

/// <summary>
/// The scenario's nodes and the scheduler, through the real kubectl: node labels, taints and
/// tolerations, nodeSelector and required node affinity, FailedScheduling as the real scheduler
/// words it, and taints changed live with <c>kubectl taint</c>.
/// </summary>
public sealed class NodeSchedulingTests : ScenarioClusterFixture
{
    private static readonly Lazy<string> ScenarioFile = new(() =>
    {
        var path = Path.Combine(Path.GetTempPath(), $"kr-nodes-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, """
            nodes:
              - name: node-a
                labels: { disk: ssd, zone: a, node-role.kubernetes.io/worker: "" }
              - name: node-b
                labels: { zone: b }
                taints:
                  - { key: dedicated, value: db, effect: NoSchedule }
            objects:
              - apiVersion: v1
                kind: Namespace
                metadata: { name: sched }
            """);
        return path;
    });

    /// <inheritdoc />
    protected override string ScenarioName => ScenarioFile.Value;

    [Test]
    public async Task Get_nodes_lists_the_scenarios_nodes_as_a_real_cluster_prints_them()
    {
        var table = (await Kubectl.RunAsync("get", "nodes")).EnsureSuccess().Stdout;
        var describe = (await Kubectl.RunAsync("describe", "node", "node-b")).EnsureSuccess().Stdout;

        Assert.Multiple(() =>
        {
            Assert.That(table, Does.Match(@"^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\nnode-a\s+Ready\s+worker\s+\d+s\s+v1\.32\.0\nnode-b\s+Ready\s+<none>\s+\d+s\s+v1\.32\.0\n$"));
            Assert.That(describe, Does.Match(@"Name:\s+node-b\n"));
            Assert.That(describe, Does.Match(@"Labels:\s+beta.kubernetes.io/arch=amd64"));
            Assert.That(describe, Does.Match(@"Taints:\s+dedicated=db:NoSchedule\n"));
            Assert.That(describe, Does.Match(@"Ready\s+True\s+.*KubeletReady\s+kubelet is posting ready status"));
        });
    }

    [Test]
    public async Task A_node_selector_places_the_pod_and_the_scheduler_records_it()
    {
        var ns = await NewNamespaceAsync();
        await Client.CoreV1.CreateNamespacedPodAsync(Pod("fast", nodeSelector: new() { ["disk"] = "ssd" }), ns);

        await Eventually.UntilAsync(async () => IsReady(await Client.CoreV1.ReadNamespacedPodAsync("fast", ns)), "the pod runs");

        var wide = (await Kubectl.RunAsync("get", "pod", "fast", "-n", ns, "-o", "wide")).EnsureSuccess().Stdout;
        var events = (await Kubectl.RunAsync("get", "events", "-n", ns, "--field-selector=reason=Scheduled")).EnsureSuccess().Stdout;
        var describe = (await Kubectl.RunAsync("describe", "pod", "fast", "-n", ns)).EnsureSuccess().Stdout;
        Assert.Multiple(() =>
        {
            Assert.That(wide, Does.Match(@"fast\s+1/1\s+Running\s+0\s+\d+s\s+\S+\s+node-a\s"));
            Assert.That(events, Does.Match($@"Normal\s+Scheduled\s+pod/fast\s+Successfully assigned {ns}/fast to node-a"));
            Assert.That(describe, Does.Match(@"Node:\s+node-a/"));
            Assert.That(describe, Does.Match(@"Normal\s+Scheduled\s+\S+\s+default-scheduler\s+Successfully assigned"));
            Assert.That(describe, Does.Match(@"Normal\s+Started\s+\S+\s+kubelet\s+Started container app"));
        });
    }

    [Test]
    public async Task A_toleration_and_required_affinity_place_the_pod_on_the_tainted_node()
    {
        var ns = await NewNamespaceAsync();
        var pod = Pod("db", tolerations: [new V1Toleration { Key = "dedicated", OperatorProperty = "Equal", Value = "db", Effect = "NoSchedule" }]);
        pod.Spec.Affinity = new V1Affinity
        {
            NodeAffinity = new V1NodeAffinity
            {
                RequiredDuringSchedulingIgnoredDuringExecution = new V1NodeSelector
                {
                    NodeSelectorTerms = [new V1NodeSelectorTerm { MatchExpressions = [new V1NodeSelectorRequirement { Key = "zone", OperatorProperty = "In", Values = ["b"] }] }],
                },
            },
        };
        await Client.CoreV1.CreateNamespacedPodAsync(pod, ns);

        await Eventually.UntilAsync(async () => (await Client.CoreV1.ReadNamespacedPodAsync("db", ns)).Spec.NodeName != null, "the pod is bound");

        Assert.That((await Client.CoreV1.ReadNamespacedPodAsync("db", ns)).Spec.NodeName, Is.EqualTo("node-b"));
    }

    [Test]
    public async Task A_pod_that_fits_no_node_stays_pending_with_the_schedulers_reasons()
    {
        var ns = await NewNamespaceAsync();
        await Client.CoreV1.CreateNamespacedPodAsync(Pod("nowhere", nodeSelector: new() { ["zone"] = "a", ["disk"] = "hdd" }), ns);
        const string message = "0/2 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint {dedicated: db}. " +
            "preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.";

        await Eventually.UntilAsync(async () => (await Client.CoreV1.ListNamespacedEventAsync(ns)).Items.Any(e => e.Reason == "FailedScheduling"), "FailedScheduling is recorded");

        var pod = await Client.CoreV1.ReadNamespacedPodAsync("nowhere", ns);
        var get = (await Kubectl.RunAsync("get", "pod", "nowhere", "-n", ns)).EnsureSuccess().Stdout;
        var events = (await Kubectl.RunAsync("get", "events", "-n", ns)).EnsureSuccess().Stdout;
        Assert.Multiple(() =>
        {
            Assert.That(pod.Spec.NodeName, Is.Null);
            Assert.That(pod.Status.Phase, Is.EqualTo("Pending"));
            Assert.That(pod.Status.ContainerStatuses, Is.Null, "the kubelet never ran it");
            var scheduled = pod.Status.Conditions.Single(c => c.Type == "PodScheduled");
            Assert.That((scheduled.Status, scheduled.Reason, scheduled.Message), Is.EqualTo(("False", "Unschedulable", message)));
            Assert.That(get, Does.Match(@"nowhere\s+0/1\s+Pending\s+0\s+"));
            Assert.That(events, Does.Contain($"Warning   FailedScheduling   pod/nowhere   {message}"));
        });
    }

    [Test]
    public async Task Taints_set_live_keep_new_pods_off_until_removed()
    {
        var ns = await NewNamespaceAsync();
        (await Kubectl.RunAsync("taint", "nodes", "node-a", "maintenance=yes:NoSchedule")).EnsureSuccess();
        try
        {
            await Client.CoreV1.CreateNamespacedPodAsync(Pod("waits", nodeSelector: new() { ["zone"] = "a" }), ns);
            await Eventually.UntilAsync(async () => (await Client.CoreV1.ListNamespacedEventAsync(ns)).Items.Any(e => e.Reason == "FailedScheduling"), "the pod is refused");
            var refused = (await Client.CoreV1.ListNamespacedEventAsync(ns)).Items.Single(e => e.Reason == "FailedScheduling").Message;
            Assert.That(refused, Does.StartWith("0/2 nodes are available: 1 node(s) had untolerated taint {dedicated: db}, 1 node(s) had untolerated taint {maintenance: yes}."));
        }
        finally
        {
            (await Kubectl.RunAsync("taint", "nodes", "node-a", "maintenance=yes:NoSchedule-")).EnsureSuccess();
        }

        await Eventually.UntilAsync(async () => IsReady(await Client.CoreV1.ReadNamespacedPodAsync("waits", ns)), "the pod runs once the taint is gone");
        Assert.That((await Client.CoreV1.ReadNamespacedPodAsync("waits", ns)).Spec.NodeName, Is.EqualTo("node-a"));
    }

    [Test]
    public async Task A_cordoned_node_takes_no_new_pods()
    {
        var ns = await NewNamespaceAsync();
        (await Kubectl.RunAsync("cordon", "node-a")).EnsureSuccess();
        try
        {
            var nodes = (await Kubectl.RunAsync("get", "nodes")).EnsureSuccess().Stdout;
            Assert.That(nodes, Does.Match(@"node-a\s+Ready,SchedulingDisabled\s"));
            await Client.CoreV1.CreateNamespacedPodAsync(Pod("cordoned", nodeSelector: new() { ["zone"] = "a" }), ns);
            await Eventually.UntilAsync(async () => (await Client.CoreV1.ListNamespacedEventAsync(ns)).Items.Any(e => e.Reason == "FailedScheduling"), "the pod is refused");
            Assert.That((await Client.CoreV1.ListNamespacedEventAsync(ns)).Items.Single(e => e.Reason == "FailedScheduling").Message,
                Does.StartWith("0/2 nodes are available: 1 node(s) had untolerated taint {dedicated: db}, 1 node(s) were unschedulable."));
        }
        finally
        {
            (await Kubectl.RunAsync("uncordon", "node-a")).EnsureSuccess();
        }
        await Eventually.UntilAsync(async () => (await Client.CoreV1.ReadNamespacedPodAsync("cordoned", ns)).Spec.NodeName == "node-a", "the pod is bound after uncordon");
    }

    [TestCase("a", "node-a")]
    [TestCase("b", "node-b")]
    public async Task Preferred_node_affinity_picks_the_node_among_those_that_fit(string zone, string expected)
    {
        var ns = await NewNamespaceAsync();
        // Tolerating node-b's taint, the pod fits both nodes; only the preference tells them apart.
        var pod = Pod("prefers", tolerations: [new V1Toleration { Key = "dedicated", OperatorProperty = "Exists", Effect = "NoSchedule" }]);
        pod.Spec.Affinity = new V1Affinity
        {
            NodeAffinity = new V1NodeAffinity
            {
                PreferredDuringSchedulingIgnoredDuringExecution =
                [
                    new V1PreferredSchedulingTerm { Weight = 10, Preference = new V1NodeSelectorTerm { MatchExpressions = [new V1NodeSelectorRequirement { Key = "disk", OperatorProperty = "DoesNotExist" }] } },
                    new V1PreferredSchedulingTerm { Weight = 80, Preference = new V1NodeSelectorTerm { MatchExpressions = [new V1NodeSelectorRequirement { Key = "zone", OperatorProperty = "In", Values = [zone] }] } },
                ],
            },
        };
        await Client.CoreV1.CreateNamespacedPodAsync(pod, ns);

        await Eventually.UntilAsync(async () => (await Client.CoreV1.ReadNamespacedPodAsync("prefers", ns)).Spec.NodeName is not null, "the pod is bound");

        Assert.That((await Client.CoreV1.ReadNamespacedPodAsync("prefers", ns)).Spec.NodeName, Is.EqualTo(expected));
    }

    [Test]
    public async Task A_NoExecute_taint_evicts_the_pods_that_do_not_tolerate_it_at_once_and_the_others_when_their_time_ends()
    {
        var ns = await NewNamespaceAsync();
        var forever = new V1Toleration { Key = "evict", OperatorProperty = "Exists", Effect = "NoExecute" };
        var threeSeconds = new V1Toleration { Key = "evict", OperatorProperty = "Exists", Effect = "NoExecute", TolerationSeconds = 3 };
        await Client.CoreV1.CreateNamespacedPodAsync(Pod("intolerant", nodeSelector: new() { ["zone"] = "a" }), ns);
        await Client.CoreV1.CreateNamespacedPodAsync(Pod("stays", nodeSelector: new() { ["zone"] = "a" }, tolerations: [forever]), ns);
        await Client.CoreV1.CreateNamespacedPodAsync(Pod("for-a-while", nodeSelector: new() { ["zone"] = "a" }, tolerations: [threeSeconds]), ns);
        await Client.CoreV1.CreateNamespacedPodAsync(Pod("elsewhere", nodeSelector: new() { ["zone"] = "b" }, tolerations: [new V1Toleration { Key = "dedicated", OperatorProperty = "Exists" }]), ns);
        await Eventually.UntilAsync(async () => (await Client.CoreV1.ListNamespacedPodAsync(ns)).Items.Count(IsReady) == 4, "the four pods run");

        (await Kubectl.RunAsync("taint", "nodes", "node-a", "evict=now:NoExecute")).EnsureSuccess();
        try
        {
            await Eventually.UntilAsync(async () => Names(await Client.CoreV1.ListNamespacedPodAsync(ns)).SetEquals(["stays", "elsewhere"]), "the intolerant pod, then the one tolerating 3 s, are evicted");
        }
        finally
        {
            (await Kubectl.RunAsync("taint", "nodes", "node-a", "evict=now:NoExecute-")).EnsureSuccess();
        }

        var evictions = (await Client.CoreV1.ListNamespacedEventAsync(ns)).Items.Where(e => e.Reason == "TaintManagerEviction").ToList();
        var events = (await Kubectl.RunAsync("get", "events", "-n", ns, "--field-selector=reason=TaintManagerEviction")).EnsureSuccess().Stdout;
        Assert.Multiple(() =>
        {
            Assert.That(evictions.Select(e => e.InvolvedObject.Name), Is.EquivalentTo(new[] { "intolerant", "for-a-while" }));
            Assert.That(evictions.Select(e => e.Source?.Component ?? e.ReportingComponent), Is.All.EqualTo("taint-eviction-controller"));
            Assert.That(events, Does.Match($@"Normal\s+TaintManagerEviction\s+pod/intolerant\s+Marking for deletion Pod {ns}/intolerant"));
        });
    }

    private static HashSet<string> Names(V1PodList pods) => pods.Items.Select(p => p.Metadata.Name).ToHashSet(StringComparer.Ordinal);

    private static V1Pod Pod(string name, Dictionary<string, string>? nodeSelector = null, List<V1Toleration>? tolerations = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1PodSpec
        {
            NodeSelector = nodeSelector,
            Tolerations = tolerations,
            Containers = [new V1Container { Name = "app", Image = "example/app:1", Command = ["sleep", "3600"] }],
        },
    };
}

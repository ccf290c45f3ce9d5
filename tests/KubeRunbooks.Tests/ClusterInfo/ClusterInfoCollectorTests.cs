using System.Collections.Concurrent;
using Cake.Core;
using Cake.Core.Configuration;
using Cake.Core.Diagnostics;
using Cake.Core.IO;
using Cake.Core.Tooling;
using k8s;
using k8s.Models;
using KubeRunbooks.Clusters;
using KubeRunbooks.Clusters.Products;
using KubeRunbooks.Kubernetes.Workloads;
using KubeRunbooks.Tasks.Kamonohashi;
using KubeRunbooks.Tasks.Vantiq;
using KubeRunbooks.Kubernetes.ClusterInfo;
using KubeRunbooks.Tests.Kubernetes.Support;
using KubeRunbooks.Tests.Support;

namespace KubeRunbooks.Tests.ClusterInfo;

[TestFixture]
public sealed class ClusterInfoCollectorTests
{
    private const string Kubectl132 = """{"clientVersion":{"major":"1","minor":"32","gitVersion":"v1.32.2"},"kustomizeVersion":"v5.5.0"}""";

    // Canned answers by path (the request's path without a trailing slash); any other path is a Kubernetes-style 404.
    private readonly ConcurrentDictionary<string, Func<CannedRequest, CannedResponse>> _routes = new();
    private CannedHttpServer _server = null!;
    private IKubernetes _client = null!;
    private ClusterProfile _profile = null!;
    private int _requestsBefore;

    [OneTimeSetUp]
    public void StartServer()
    {
        _server = new CannedHttpServer(Answer);
        _client = new k8s.Kubernetes(new KubernetesClientConfiguration { Host = _server.Url });
    }

    [OneTimeTearDown]
    public async Task StopServerAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [SetUp]
    public void StandardCluster()
    {
        _routes.Clear();
        _requestsBefore = _server.Requests.Count;
        _profile = new ClusterProfile { Name = "test", SourcePath = "clusters/test.yaml", Products = ProductSections.Of(new VantiqSettings()) };
        MapVersion("1", "32", "v1.32.3");
        MapStatefulSet("vantiq", replicas: 3, ready: 3, image: "vantiq/vantiq-server:1.40.2", init: "load-model");
        MapStatefulSet("metrics-collector", replicas: 1, ready: 1, image: "vantiq/metrics-collector:1.40.2");
        MapPods(
            Pod("vantiq-0", "app=vantiq", "node-a"), Pod("vantiq-1", "app=vantiq", "node-b"), Pod("vantiq-2", "app=vantiq", null, ready: false),
            Pod("metrics-collector-0", "app=metrics-collector", "node-c"));
    }

    private Task<ClusterInfoReport> Collect(string? kubectlOutput = Kubectl132) =>
        new ClusterInfoCollector(_client, _ => Task.FromResult(kubectlOutput)).CollectAsync(_profile);

    private void MapVersion(string major, string minor, string git) =>
        Map("/version", $$"""{"major":"{{major}}","minor":"{{minor}}","gitVersion":"{{git}}","platform":"linux/amd64"}""");

    private void MapStatefulSet(string name, int replicas, int ready, string image, string? init = null)
    {
        var sts = TestObjects.StatefulSet(name, replicas, image, init is null ? null : new V1Container { Name = init, Image = image });
        sts.ApiVersion = "apps/v1";
        sts.Kind = "StatefulSet";
        sts.Metadata.NamespaceProperty = "vantiq";
        sts.Spec.Template.Spec.Containers[0].Name = name;
        sts.Status = new V1StatefulSetStatus { Replicas = replicas, ReadyReplicas = ready };
        Map($"/apis/apps/v1/namespaces/vantiq/statefulsets/{name}", KubernetesJson.Serialize(sts));
    }

    private static V1Pod Pod(string name, string label, string? node, bool ready = true)
    {
        var (key, value) = (label.Split('=')[0], label.Split('=')[1]);
        return new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { [key] = value } },
            Spec = new V1PodSpec { NodeName = node, Containers = [new V1Container { Name = "c", Image = "i" }] },
            Status = new V1PodStatus
            {
                Phase = node is null ? "Pending" : "Running",
                Conditions = [new V1PodCondition { Type = "Ready", Status = ready ? "True" : "False" }],
            },
        };
    }

    // The paths and queries this test's requests asked for.
    private IEnumerable<string> Requests => _server.Requests.Skip(_requestsBefore).Select(r => r.PathAndQuery);

    private CannedResponse Answer(CannedRequest request)
    {
        // The client asks for "/version/"; the API server treats it like "/version".
        var path = request.Path.TrimEnd('/');
        return _routes.TryGetValue(path, out var route)
            ? route(request)
            : new CannedResponse(404, $$"""{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"NotFound","code":404,"message":"{{path}} not found"}""");
    }

    private void Map(string path, string json, int status = 200) => _routes[path] = _ => new CannedResponse(status, json);

    // Serves the pod list filtered by the request's labelSelector, as the API server does.
    private void MapPods(params V1Pod[] pods) =>
        _routes["/api/v1/namespaces/vantiq/pods"] = request =>
        {
            var selector = System.Web.HttpUtility.ParseQueryString(request.Query)["labelSelector"] ?? "";
            var wanted = selector.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => s.Split('=')).ToList();
            var items = pods.Where(p => wanted.All(w => p.Metadata.Labels.TryGetValue(w[0], out var v) && v == w[1])).ToList();
            return CannedResponse.Json(KubernetesJson.Serialize(new V1PodList { ApiVersion = "v1", Kind = "PodList", Items = items, Metadata = new V1ListMeta() }));
        };

    [Test]
    public async Task Happy_path_reports_versions_replicas_images_and_nodes()
    {
        var report = await Collect();

        var vantiq = report.Workloads[0];
        Assert.Multiple(() =>
        {
            Assert.That(report.Server, Is.EqualTo(new KubeVersion(1, 32, "v1.32.3")));
            Assert.That(report.Client, Is.EqualTo(new KubeVersion(1, 32, "v1.32.2")));
            Assert.That(report.SkewTooLarge, Is.False);
            Assert.That(vantiq.State, Is.EqualTo(WorkloadPresence.Present));
            Assert.That((vantiq.DesiredReplicas, vantiq.ReadyReplicas, vantiq.NormalReplicas), Is.EqualTo((3, 3, 3)));
            Assert.That(vantiq.Images, Is.EqualTo(new[]
            {
                new ContainerImage("load-model", "vantiq/vantiq-server:1.40.2", Init: true),
                new ContainerImage("vantiq", "vantiq/vantiq-server:1.40.2", Init: false),
            }));
            Assert.That(vantiq.Pods.Select(p => (p.Name, p.Node, p.Ready)), Is.EqualTo(new[]
            {
                ("vantiq-0", (string?)"node-a", true), ("vantiq-1", "node-b", true), ("vantiq-2", null, false),
            }));
            Assert.That(report.Workloads[1].Pods.Select(p => p.Name), Is.EqualTo(new[] { "metrics-collector-0" }));
            Assert.That(Requests, Does.Contain("/api/v1/namespaces/vantiq/pods?labelSelector=app%3Dvantiq&watch=false"));
        });
    }

    [Test]
    public async Task A_missing_optional_workload_is_reported_absent_not_an_error()
    {
        var report = await Collect();

        var vision = report.Workloads.Single(w => w.Name == "vision-analytics");
        Assert.Multiple(() =>
        {
            Assert.That(vision.State, Is.EqualTo(WorkloadPresence.Absent));
            Assert.That(report.Warnings, Is.Empty);
            Assert.That(report.ToFacts(), Does.Contain(KeyValuePair.Create("vantiq/vision-analytics.replicas", "absent")));
            Assert.That(ClusterInfoRenderer.Render(report), Does.Contain("  vantiq/vision-analytics (StatefulSet): absent (optional)"));
        });
    }

    [Test]
    public async Task A_missing_required_workload_is_a_warning()
    {
        _profile = _profile with { Products = ProductSections.Of(new VantiqSettings { Server = new ProfileWorkload("vantiq-typo", 3) }) };

        var report = await Collect();

        Assert.Multiple(() =>
        {
            Assert.That(report.Workloads[0].State, Is.EqualTo(WorkloadPresence.Missing));
            Assert.That(report.Warnings, Is.EqualTo(new[] { "StatefulSet vantiq/vantiq-typo does not exist" }));
            Assert.That(ClusterInfoRenderer.Render(report), Does.Contain("  vantiq/vantiq-typo (StatefulSet): MISSING"));
        });
    }

    [TestCase("1", "29", "v1.29.0")]
    [TestCase("1", "35", "v1.35.1")]
    public async Task A_skew_larger_than_one_minor_is_flagged_with_a_warning(string major, string minor, string git)
    {
        MapVersion(major, minor, git);

        var report = await Collect();

        Assert.Multiple(() =>
        {
            Assert.That(report.SkewTooLarge, Is.True);
            Assert.That(report.Warnings, Has.Count.EqualTo(1));
            Assert.That(report.Warnings[0], Does.StartWith($"kubectl v1.32.2 is outside the supported skew of server {git}"));
            Assert.That(report.ToFacts(), Does.Contain(KeyValuePair.Create("skew", "too large")));
            Assert.That(ClusterInfoRenderer.Render(report), Does.Contain("Version skew:   TOO LARGE"));
        });
    }

    [TestCase("31", "v1.31.9")]
    [TestCase("33", "v1.33.0")]
    public async Task One_minor_apart_either_way_is_within_the_skew(string minor, string git)
    {
        MapVersion("1", minor, git);

        var report = await Collect();

        Assert.That(report.SkewTooLarge, Is.False);
        Assert.That(report.Warnings, Is.Empty);
    }

    [Test]
    public async Task A_provider_suffixed_minor_is_understood()
    {
        MapVersion("1", "31+", "v1.31.4-gke.1000");

        var report = await Collect();

        Assert.That(report.Server, Is.EqualTo(new KubeVersion(1, 31, "v1.31.4-gke.1000")));
    }

    [Test]
    public async Task Absent_kubectl_is_reported_not_fatal()
    {
        var report = await Collect(kubectlOutput: null);

        Assert.Multiple(() =>
        {
            Assert.That(report.Client, Is.Null);
            Assert.That(report.ClientProblem, Is.EqualTo("kubectl is not on PATH"));
            Assert.That(report.SkewTooLarge, Is.False);
            Assert.That(ClusterInfoRenderer.Render(report).Take(3), Is.EqualTo(new[]
            {
                "Server version: v1.32.3", "Client version: unknown (kubectl is not on PATH)", "Version skew:   not checked",
            }));
        });
    }

    [Test]
    public async Task Unreadable_kubectl_output_is_reported()
    {
        var report = await Collect(kubectlOutput: "Client Version: v1.32.2");

        Assert.That(report.ClientProblem, Is.EqualTo("kubectl version output was not understood"));
    }

    [Test]
    public async Task A_failing_kubectl_is_reported_with_its_message()
    {
        var collector = new ClusterInfoCollector(_client, _ => throw new InvalidOperationException("kubectl version exited with 1: boom"));

        var report = await collector.CollectAsync(_profile);

        Assert.That(report.ClientProblem, Is.EqualTo("kubectl version exited with 1: boom"));
    }

    [Test]
    public async Task A_kubectl_that_hangs_is_reported_after_the_default_timeout()
    {
        _profile = _profile with { Timeouts = new TimeoutSettings { Default = TimeSpan.FromMilliseconds(50) } };
        var collector = new ClusterInfoCollector(_client, async token =>
        {
            await Task.Delay(Timeout.Infinite, token);
            return null;
        });

        var report = await collector.CollectAsync(_profile);

        Assert.That(report.ClientProblem, Is.EqualTo("kubectl version did not answer within 00:00:00.0500000 (timeouts.default)"));
    }

    [Test]
    public void A_server_500_on_version_fails_with_one_line()
    {
        Map("/version", """{"kind":"Status","code":500,"message":"etcd down"}""", status: 500);

        var error = Assert.ThrowsAsync<ClusterQueryException>(() => Collect())!;

        Assert.That(error.Message, Is.EqualTo("The cluster API answered 500 InternalServerError to GET /version"));
    }

    [Test]
    public void A_server_500_on_a_workload_names_the_workload()
    {
        Map("/apis/apps/v1/namespaces/vantiq/statefulsets/vantiq", "{}", status: 500);

        var error = Assert.ThrowsAsync<ClusterQueryException>(() => Collect())!;

        Assert.That(error.Message, Is.EqualTo("The cluster API answered 500 InternalServerError to GET StatefulSet vantiq/vantiq"));
    }

    [Test]
    public void A_forbidden_pod_list_is_an_error_not_an_empty_list()
    {
        Map("/api/v1/namespaces/vantiq/pods", """{"kind":"Status","code":403}""", status: 403);

        var error = Assert.ThrowsAsync<ClusterQueryException>(() => Collect())!;

        Assert.That(error.Message, Does.StartWith("The cluster API answered 403 Forbidden to GET pods of StatefulSet vantiq/vantiq"));
    }

    [Test]
    public void An_unreachable_server_fails_with_one_line()
    {
        using var nowhere = new k8s.Kubernetes(new KubernetesClientConfiguration { Host = "http://127.0.0.1:1" });

        var error = Assert.ThrowsAsync<ClusterQueryException>(() =>
            new ClusterInfoCollector(nowhere, _ => Task.FromResult<string?>(Kubectl132)).CollectAsync(_profile))!;

        Assert.That(error.Message, Does.StartWith("The cluster API could not be reached for GET /version:").And.Not.Contain("\n"));
    }

    [Test]
    public async Task The_renderer_shows_workloads_images_and_placement()
    {
        var lines = ClusterInfoRenderer.Render(await Collect());

        Assert.That(lines, Is.EqualTo(new[]
        {
            "Server version: v1.32.3",
            "Client version: v1.32.2",
            "Version skew:   ok (kubectl within one minor of the server)",
            "Workloads:",
            "  vantiq/vantiq (StatefulSet): 3/3 ready, normal 3",
            "    init container load-model: vantiq/vantiq-server:1.40.2",
            "    container vantiq: vantiq/vantiq-server:1.40.2",
            "    pod vantiq-0 on node-a: Running, ready",
            "    pod vantiq-1 on node-b: Running, ready",
            "    pod vantiq-2 on (not scheduled): Pending, not ready",
            "  vantiq/metrics-collector (StatefulSet): 1/1 ready, normal 1",
            "    container metrics-collector: vantiq/metrics-collector:1.40.2",
            "    pod metrics-collector-0 on node-c: Running, ready",
            "  vantiq/vision-analytics (StatefulSet): absent (optional)",
        }));
    }

    [Test]
    public async Task The_facts_summarise_each_workload()
    {
        var facts = (await Collect()).ToFacts();

        Assert.That(facts, Is.SupersetOf(new[]
        {
            KeyValuePair.Create("server.version", "v1.32.3"),
            KeyValuePair.Create("client.version", "v1.32.2"),
            KeyValuePair.Create("skew", "ok"),
            KeyValuePair.Create("vantiq/vantiq.replicas", "3/3 ready (normal 3)"),
            KeyValuePair.Create("vantiq/vantiq.images", "init load-model=vantiq/vantiq-server:1.40.2, vantiq=vantiq/vantiq-server:1.40.2"),
            KeyValuePair.Create("vantiq/vantiq.pods", "vantiq-0@node-a, vantiq-1@node-b, vantiq-2@(unscheduled)"),
        }));
    }

    [Test]
    public async Task Deployments_are_read_through_the_deployment_api()
    {
        var deployment = new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = new V1ObjectMeta { Name = "postgres", NamespaceProperty = "kqi-system" },
            Spec = new V1DeploymentSpec
            {
                Replicas = 1,
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "postgres" } },
                Template = new V1PodTemplateSpec { Spec = new V1PodSpec { Containers = [new V1Container { Name = "postgres", Image = "postgres:16" }] } },
            },
            Status = new V1DeploymentStatus { ReadyReplicas = 1 },
        };
        Map("/apis/apps/v1/namespaces/kqi-system/deployments/postgres", KubernetesJson.Serialize(deployment));
        Map("/api/v1/namespaces/kqi-system/pods", KubernetesJson.Serialize(new V1PodList { Items = [Pod("postgres-7d9-x", "app=postgres", "node-a")] }));
        _profile = _profile with { Products = ProductSections.Of(new KamonohashiSettings()) };

        var report = await Collect();

        Assert.Multiple(() =>
        {
            Assert.That(report.Workloads.Select(w => (w.Name, w.Kind, w.State)), Is.EqualTo(new[]
            {
                ("postgres", WorkloadKind.Deployment, WorkloadPresence.Present),
                ("platypus-web-api", WorkloadKind.Deployment, WorkloadPresence.Missing),
            }));
            Assert.That(report.Workloads[0].Images.Single().Image, Is.EqualTo("postgres:16"));
            Assert.That(report.Workloads[0].Pods.Single().Node, Is.EqualTo("node-a"));
            Assert.That(report.Warnings, Is.EqualTo(new[] { "Deployment kqi-system/platypus-web-api does not exist" }));
        });
    }

    [Test]
    public void The_real_kubectl_on_path_reports_a_client_version()
    {
        Assume.That(File.Exists("/usr/bin/kubectl"), "kubectl is installed on this machine");

        var fileSystem = new FileSystem();
        var environment = new CakeEnvironment(new CakePlatform(), new CakeRuntime());
        var configuration = new CakeConfiguration(new Dictionary<string, string>());
        var log = new NullLog();
        var tools = new ToolLocator(environment, new ToolRepository(environment),
            new ToolResolutionStrategy(fileSystem, environment, new Globber(fileSystem, environment), configuration, log));

        var output = KubectlClientVersion.Through(new ProcessRunner(fileSystem, environment, log, tools, configuration), tools)(CancellationToken.None).GetAwaiter().GetResult();

        Assert.That(KubectlClientVersion.Parse(output!)?.Major, Is.EqualTo(1));
    }
}

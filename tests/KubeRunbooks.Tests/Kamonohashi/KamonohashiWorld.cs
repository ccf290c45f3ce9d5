using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using KubeRunbooks.Simulator.Scenarios;
using KubeRunbooks.Simulator.Server;
using KubeRunbooks.Tests.Support;
using KubeRunbooks.Tests.Vantiq;

namespace KubeRunbooks.Tests.Kamonohashi;

/// <summary>
/// A simulated cluster with the KAMONOHASHI application as the seed's settings.yml deploys it: Deployment
/// <c>platypus-web-api</c> in <c>kqi-system</c> with its appsettings as container env (profile <c>test</c>), and a
/// second install in <c>kqi-cm</c> whose settings are a ConfigMap read through envFrom (profile <c>cm</c>). The
/// objects are this test's own (the shared scenarios have no application yet).
/// </summary>
public sealed class KamonohashiWorld : ClusterWorld
{
    /// <summary>The application Deployment.</summary>
    public const string App = "platypus-web-api";

    /// <summary>The ConfigMap of the <c>cm</c> install.</summary>
    public const string SettingsMap = "kqi-app-settings";

    private const string ScenarioYaml = """
        readinessDelaySeconds: 0
        objects:
          - { apiVersion: v1, kind: Namespace, metadata: { name: kqi-system } }
          - { apiVersion: v1, kind: Namespace, metadata: { name: kqi-cm } }
          - apiVersion: apps/v1
            kind: Deployment
            metadata: { name: platypus-web-api, namespace: kqi-system, labels: { app: platypus-web-api } }
            spec:
              replicas: 2
              selector: { matchLabels: { app: platypus-web-api } }
              template:
                metadata: { labels: { app: platypus-web-api } }
                spec:
                  containers:
                    - name: platypus-web-api
                      image: kamonohashi/platypus-web-api:2.2.0
                      env:
                        - { name: DeployOptions__GpuNodes, value: "gpu-1" }
          - apiVersion: v1
            kind: ConfigMap
            metadata: { name: kqi-app-settings, namespace: kqi-cm }
            data: { DeployOptions__GpuNodes: "gpu-1" }
          - apiVersion: apps/v1
            kind: Deployment
            metadata: { name: platypus-web-api, namespace: kqi-cm, labels: { app: platypus-web-api } }
            spec:
              replicas: 1
              selector: { matchLabels: { app: platypus-web-api } }
              template:
                metadata: { labels: { app: platypus-web-api } }
                spec:
                  containers:
                    - name: platypus-web-api
                      image: kamonohashi/platypus-web-api:2.2.0
                      envFrom: [{ configMapRef: { name: kqi-app-settings } }]
        """;

    private KamonohashiWorld(TestCluster cluster) : base(cluster)
    {
    }

    /// <summary>The profile file of <c>test</c>.</summary>
    public string TestProfilePath => Path.Combine(Workspace.Folder, "clusters", "test.yaml");

    /// <summary>Starts the cluster (enforcing RBAC for service-account tokens when asked) and writes the profiles.</summary>
    public static async Task<KamonohashiWorld> StartAsync(bool enforceRbac = false)
    {
        var cluster = await TestCluster.OfScenarioYaml(ScenarioYaml).WithRbac(enforceRbac).StartAsync("kqi");
        var world = new KamonohashiWorld(cluster);
        world.WriteProfiles();
        await world.WaitForReadyAsync("kqi-system", 2);
        await world.WaitForReadyAsync("kqi-cm", 1);
        return world;
    }

    /// <summary>(Re)writes the profiles <c>test</c> (env) and <c>cm</c> (ConfigMap).</summary>
    public void WriteProfiles(string testExtra = "")
    {
        const string Timeouts = "timeouts: { default: 60s, podReady: 60s, rollout: 60s }\n";
        WriteClusterProfile("test", Timeouts + "kamonohashi: {}\n" + testExtra);
        WriteClusterProfile("cm", Timeouts + $"kamonohashi:\n  namespace: kqi-cm\n  settingsConfigMap: {SettingsMap}\n");
    }

    /// <summary>The application Deployment of a namespace.</summary>
    public Task<V1Deployment> AppAsync(string ns = "kqi-system") => Client.AppsV1.ReadNamespacedDeploymentAsync(App, ns);

    /// <summary>The env of the application's container in the Deployment's template.</summary>
    public async Task<IReadOnlyDictionary<string, string?>> TemplateEnvAsync(string ns = "kqi-system") =>
        ((await AppAsync(ns)).Spec.Template.Spec.Containers.Single().Env ?? []).ToDictionary(e => e.Name, e => (string?)e.Value);

    /// <summary>The application's pods now.</summary>
    public async Task<IReadOnlyList<V1Pod>> PodsAsync(string ns = "kqi-system") =>
        (await Client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: "app=" + App)).Items.ToList();

    /// <summary>Waits (2 min at most: containers start slowly on a loaded machine) until the application Deployment has its replicas ready.</summary>
    public Task WaitForReadyAsync(string ns, int replicas) =>
        Eventually.UntilAsync(async () =>
        {
            var d = await AppAsync(ns);
            return (d.Status?.ReadyReplicas ?? 0) == replicas && (d.Status?.Replicas ?? 0) == replicas;
        }, $"deployment {ns}/{App} has {replicas} ready replicas");
}

using System.Security.Cryptography.X509Certificates;
using System.Text;
using KubeRunbooks.Simulator.Faults;
using KubeRunbooks.Simulator.Scenarios;
using KubeRunbooks.Simulator.Store;

namespace KubeRunbooks.Tests.Simulator.Controllers;

/// <summary>The scenario loader: files, includes, seeding, TLS secrets, faults and its one-line errors.</summary>
public sealed class ScenarioTests
{
    private string _folder = null!;

    [SetUp]
    public void CreateFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), "kr-scn-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    [Test]
    public void The_repository_scenarios_are_found_by_name()
    {
        Assert.That(Scenario.Available(), Is.SupersetOf(new[] { "exastro", "kamonohashi", "standard", "threescale", "vantiq" }));
    }

    [Test]
    public void The_vantiq_scenario_seeds_the_seed_names_with_a_fresh_tls_certificate()
    {
        var store = new ObjectStore();
        var scenario = Scenario.Load("vantiq");
        scenario.Seed(store);

        var sts = store.Get(ResourceCatalog.StatefulSets, "vantiq", "vantiq");
        Assert.That((long?)sts["spec"]!["replicas"], Is.EqualTo(3));
        Assert.That((string?)sts["spec"]!["template"]!["spec"]!["initContainers"]![0]!["name"], Is.EqualTo("load-model"));
        Assert.That((string?)sts["spec"]!["template"]!["spec"]!["containers"]![0]!["image"], Does.EndWith(":1.30.10"));
        Assert.That(store.TryGet(ResourceCatalog.CronJobs, "vantiq", "mongobackup"), Is.Not.Null);
        Assert.That(store.TryGet(ResourceCatalog.Secrets, "vantiq", "vantiq-license"), Is.Not.Null);
        Assert.That(scenario.ImageCommands.Keys, Is.SupersetOf(new[] { "vantiq-server", "mongobackup" }));

        var tls = store.Get(ResourceCatalog.Secrets, "shared", "default-ssl-cert");
        Assert.That((string?)tls["type"], Is.EqualTo("kubernetes.io/tls"));
        var pem = Encoding.ASCII.GetString(Convert.FromBase64String((string)tls["data"]!["tls.crt"]!));
        using var certificate = X509Certificate2.CreateFromPem(pem);
        Assert.That(certificate.Subject, Is.EqualTo("CN=vantiq.example.com"));
        Assert.That(certificate.NotAfter, Is.GreaterThan(DateTime.Now.AddDays(30)));
    }

    [Test]
    public void The_standard_scenario_holds_every_product()
    {
        var store = new ObjectStore();
        var scenario = Scenario.Load("standard");
        scenario.Seed(store);

        Assert.That(scenario.Files.Select(Path.GetFileNameWithoutExtension), Is.EqualTo(new[] { "vantiq", "kamonohashi", "exastro", "threescale", "standard" }));
        Assert.That(store.TryGet(ResourceCatalog.PersistentVolumeClaims, "exastro", "pvc-ita-global"), Is.Not.Null);
        Assert.That(store.TryGet(ResourceCatalog.Secrets, "exastro", "platform-secret-pf-database"), Is.Not.Null);
        Assert.That(store.TryGet(ResourceCatalog.ConfigMaps, "exastro", "ita-params-ita-database"), Is.Not.Null);
        Assert.That(store.List(ResourceCatalog.Secrets, "3scale").Items, Has.Count.EqualTo(13));
        Assert.That(store.List(ResourceCatalog.ConfigMaps, "3scale").Items, Has.Count.EqualTo(7));
        Assert.That(store.TryGet(ResourceCatalog.Deployments, "kqi-system", "postgres"), Is.Not.Null);
        Assert.That(store.TryGet(ResourceCatalog.StatefulSets, "vantiq", "vision-analytics"), Is.Not.Null);
    }

    [Test]
    public void A_scenario_file_sets_delay_images_and_faults()
    {
        File.WriteAllText(Path.Combine(_folder, "mine.yaml"), """
            readinessDelaySeconds: 0.5
            images:
              tool: [sh, -c, "echo tool"]
            faults:
              failingJobs: ["^backup-"]
              neverReadyPods: ["^web-1$"]
              containerExits: [{ pod: "^db-", container: main, exitCode: 3 }]
              httpFaults: [{ method: PATCH, path: "/scale$", status: 500, count: 2 }]
            objects:
              - { apiVersion: v1, kind: Namespace, metadata: { name: app } }
              - { apiVersion: v1, kind: ConfigMap, metadata: { name: settings, namespace: app }, data: { a: "1" } }
            """);
        var scenario = Scenario.Load("mine", _folder);
        var plan = new FaultPlan();
        scenario.ApplyFaults(plan);
        var store = new ObjectStore();
        scenario.Seed(store);

        Assert.That(scenario.ReadinessDelay, Is.EqualTo(TimeSpan.FromMilliseconds(500)));
        Assert.That(scenario.ImageCommands["tool"], Is.EqualTo(new[] { "sh", "-c", "echo tool" }));
        Assert.That(plan.IsFailingJob("backup-1"), Is.True);
        Assert.That(plan.IsFailingJob("other"), Is.False);
        Assert.That(plan.IsNeverReady("web-1"), Is.True);
        Assert.That(plan.ForcedExitCode("db-0", "main"), Is.EqualTo(3));
        Assert.That(plan.TakeHttpFault("PATCH", "/apis/apps/v1/namespaces/app/statefulsets/x/scale")?.Status, Is.EqualTo(500));
        Assert.That((string?)store.Get(ResourceCatalog.ConfigMaps, "app", "settings")["data"]!["a"], Is.EqualTo("1"));
    }

    [Test]
    public void An_unknown_name_is_one_line_listing_the_scenarios()
    {
        File.WriteAllText(Path.Combine(_folder, "alpha.yaml"), "objects: []\n");
        var error = Assert.Throws<ScenarioException>(() => Scenario.Load("nope", _folder))!;
        Assert.That(error.Message, Is.EqualTo("Scenario 'nope' not found; available: alpha."));
    }

    [Test]
    public void Malformed_yaml_names_the_file()
    {
        var path = Path.Combine(_folder, "bad.yaml");
        File.WriteAllText(path, "objects: [\n  - { kind: x\n");
        var error = Assert.Throws<ScenarioException>(() => Scenario.Load(path))!;
        Assert.That(error.Message, Does.StartWith($"Scenario bad ({path}):"));
        Assert.That(error.Message, Does.Not.Contain("\n"));
    }

    [Test]
    public void An_unsupported_kind_and_an_object_without_a_name_are_refused()
    {
        File.WriteAllText(Path.Combine(_folder, "kind.yaml"), "objects:\n  - { apiVersion: v1, kind: Gadget, metadata: { name: g } }\n");
        File.WriteAllText(Path.Combine(_folder, "noname.yaml"), "objects:\n  - { apiVersion: v1, kind: ConfigMap, metadata: {} }\n");

        var kind = Assert.Throws<ScenarioException>(() => Scenario.Load("kind", _folder).Seed(new ObjectStore()))!;
        var noName = Assert.Throws<ScenarioException>(() => Scenario.Load("noname", _folder))!;

        Assert.That(kind.Message, Is.EqualTo("Scenario kind: unsupported object kind v1/Gadget (g)."));
        Assert.That(noName.Message, Does.EndWith("every object needs kind and metadata.name."));
    }

    [Test]
    public void A_scenario_that_includes_itself_is_refused()
    {
        File.WriteAllText(Path.Combine(_folder, "loop.yaml"), "include: [loop]\n");
        var error = Assert.Throws<ScenarioException>(() => Scenario.Load("loop", _folder))!;
        Assert.That(error.Message, Does.Contain("includes itself"));
    }

    [Test]
    public void A_secret_in_a_scenario_file_never_reaches_an_error_message()
    {
        File.WriteAllText(Path.Combine(_folder, "dup.yaml"), """
            objects:
              - { apiVersion: v1, kind: Secret, metadata: { name: s, namespace: default }, stringData: { password: hunter2-secret } }
              - { apiVersion: v1, kind: Secret, metadata: { name: s, namespace: default }, stringData: { password: hunter2-secret } }
            """);
        var error = Assert.Throws<ScenarioException>(() => Scenario.Load("dup", _folder).Seed(new ObjectStore()))!;
        Assert.That(error.Message, Does.Contain("Secret s cannot be created"));
        Assert.That(error.Message, Does.Not.Contain("hunter2"));
    }
}

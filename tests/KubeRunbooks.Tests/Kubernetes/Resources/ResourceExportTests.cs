using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using KubeRunbooks.Errors;
using KubeRunbooks.Kubernetes.Resources;
using KubeRunbooks.Tests.Simulator.Controllers;

namespace KubeRunbooks.Tests.Kubernetes.Resources;

/// <summary>
/// Export and apply of Secrets and ConfigMaps against the simulated cluster seeded with the 3scale install (the 13
/// Secrets and 7 ConfigMaps of seed 004): server-owned fields removed, files 0600, applied into an empty
/// namespace by this code and by the real kubectl, replaced when present.
/// </summary>
[TestFixture]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ResourceExportTests : ScenarioClusterFixture
{
    private static readonly string[] SeedSecrets =
    [
        "system-smtp", "system-seed", "system-database", "backend-internal-api", "system-events-hook", "system-app", "system-recaptcha",
        "system-redis", "zync", "system-master-apicast", "backend-listener", "backend-redis", "system-memcache",
    ];

    private static readonly string[] SeedConfigMaps =
        ["system-environment", "apicast-environment", "backend-environment", "mysql-extra-conf", "mysql-main-conf", "redis-config", "system"];

    /// <inheritdoc />
    protected override string ScenarioName => "threescale";

    private string _folder = null!;

    [SetUp]
    public void NewFolder()
    {
        _folder = Path.Combine(Root, "export-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_folder);
    }

    [Test]
    public async Task Export_removes_every_server_owned_field_and_status_and_keeps_the_rest()
    {
        var ns = await NewNamespaceAsync();
        var owner = await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "owner" } }, ns);
        await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta
            {
                Name = "settings",
                Labels = new Dictionary<string, string> { ["app"] = "x" },
                Annotations = new Dictionary<string, string> { ["note"] = "kept" },
                OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = "owner", Uid = owner.Metadata.Uid }],
            },
            Data = new Dictionary<string, string> { ["a"] = "1" },
        }, ns);
        var raw = JsonNode.Parse(KubernetesJson.Serialize(await Client.CoreV1.ReadNamespacedConfigMapAsync("settings", ns)))!.AsObject();
        Assert.That(raw["metadata"]!.AsObject().Select(p => p.Key), Is.SupersetOf(new[] { "uid", "resourceVersion", "creationTimestamp", "ownerReferences", "namespace" }),
            "the server set the fields the export must remove");

        var exported = (await new ResourceExport(Client).ExportAsync(ResourceType.ConfigMaps, ns, "settings", CancellationToken.None))!;

        var metadata = exported["metadata"]!.AsObject();
        foreach (var field in new[] { "ownerReferences", "selfLink", "uid", "resourceVersion", "generation", "creationTimestamp", "managedFields", "namespace" })
            Assert.That(metadata.ContainsKey(field), Is.False, field);
        Assert.That(exported.ContainsKey("status"), Is.False);
        Assert.That((string?)exported["apiVersion"], Is.EqualTo("v1"));
        Assert.That((string?)exported["kind"], Is.EqualTo("ConfigMap"));
        Assert.That((string?)metadata["name"], Is.EqualTo("settings"));
        Assert.That((string?)metadata["labels"]!["app"], Is.EqualTo("x"));
        Assert.That((string?)metadata["annotations"]!["note"], Is.EqualTo("kept"));
        Assert.That((string?)exported["data"]!["a"], Is.EqualTo("1"));
    }

    [Test]
    public async Task The_seeds_secrets_and_config_maps_export_to_private_files_and_apply_to_an_empty_namespace()
    {
        var export = new ResourceExport(Client);
        var files = new List<(ResourceType Type, string Name, string Path)>();
        foreach (var (type, names) in new[] { (ResourceType.Secrets, SeedSecrets), (ResourceType.ConfigMaps, SeedConfigMaps) })
            foreach (var name in names)
            {
                var path = await export.ExportToFileAsync(type, "3scale", name, _folder, CancellationToken.None);
                Assert.That(path, Is.EqualTo(Path.Combine(_folder, name + ".json")));
                Assert.That(File.GetUnixFileMode(path!), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite), name);
                files.Add((type, name, path!));
            }
        Assert.That(Directory.GetFiles(_folder), Has.Length.EqualTo(20));

        var target = await NewNamespaceAsync();
        foreach (var (type, _, path) in files)
            Assert.That(await export.ApplyFileAsync(type, path, target, CancellationToken.None), Is.EqualTo(ApplyOutcome.Created), path);

        foreach (var name in SeedSecrets)
        {
            var original = await Client.CoreV1.ReadNamespacedSecretAsync(name, "3scale");
            var restored = await Client.CoreV1.ReadNamespacedSecretAsync(name, target);
            Assert.That(restored.Data, Is.EquivalentTo(original.Data), name);
            Assert.That(restored.Type, Is.EqualTo(original.Type), name);
            Assert.That(restored.Metadata.Uid, Is.Not.EqualTo(original.Metadata.Uid), "a new object");
        }
        foreach (var name in SeedConfigMaps)
        {
            var original = await Client.CoreV1.ReadNamespacedConfigMapAsync(name, "3scale");
            var restored = await Client.CoreV1.ReadNamespacedConfigMapAsync(name, target);
            Assert.That(restored.Data, Is.EquivalentTo(original.Data), name);
            Assert.That(restored.Metadata.Labels ?? new Dictionary<string, string>(), Is.EquivalentTo(original.Metadata.Labels ?? new Dictionary<string, string>()), name);
        }
    }

    [Test]
    public async Task An_exported_file_applies_with_kubectl_into_an_empty_namespace()
    {
        var path = await new ResourceExport(Client).ExportToFileAsync(ResourceType.Secrets, "3scale", "system-seed", _folder, CancellationToken.None);
        var target = await NewNamespaceAsync();

        var result = await Kubectl.RunAsync("apply", "-f", path!, "-n", target);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Stdout + result.Stderr);
        var restored = await Client.CoreV1.ReadNamespacedSecretAsync("system-seed", target);
        Assert.That(restored.Data, Is.EquivalentTo((await Client.CoreV1.ReadNamespacedSecretAsync("system-seed", "3scale")).Data));
    }

    [Test]
    public async Task Applying_over_an_existing_object_replaces_it()
    {
        var export = new ResourceExport(Client);
        var path = await export.ExportToFileAsync(ResourceType.ConfigMaps, "3scale", "redis-config", _folder, CancellationToken.None);
        var target = await NewNamespaceAsync();
        await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = "redis-config" },
            Data = new Dictionary<string, string> { ["redis.conf"] = "#save 900 1\nappendonly no\n", ["extra"] = "x" },
        }, target);

        var outcome = await export.ApplyFileAsync(ResourceType.ConfigMaps, path!, target, CancellationToken.None);

        Assert.That(outcome, Is.EqualTo(ApplyOutcome.Replaced));
        var now = await Client.CoreV1.ReadNamespacedConfigMapAsync("redis-config", target);
        Assert.That(now.Data, Is.EquivalentTo((await Client.CoreV1.ReadNamespacedConfigMapAsync("redis-config", "3scale")).Data));
    }

    [Test]
    public async Task An_absent_object_exports_as_null_and_writes_no_file()
    {
        var path = await new ResourceExport(Client).ExportToFileAsync(ResourceType.Secrets, "3scale", "no-such-secret", _folder, CancellationToken.None);

        Assert.That(path, Is.Null);
        Assert.That(Directory.GetFiles(_folder), Is.Empty);
    }

    [Test]
    public async Task A_file_of_another_kind_or_not_json_is_refused_without_quoting_its_content()
    {
        var export = new ResourceExport(Client);
        var secretFile = await export.ExportToFileAsync(ResourceType.Secrets, "3scale", "system-app", _folder, CancellationToken.None);
        var broken = Path.Combine(_folder, "broken.json");
        File.WriteAllText(broken, "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"data\":{\"SECRET_KEY_BASE\":\"c2VjcmV0LXZhbHVl\"");
        var target = await NewNamespaceAsync();

        var wrongKind = Assert.ThrowsAsync<InvalidInputException>(() => export.ApplyFileAsync(ResourceType.ConfigMaps, secretFile!, target, CancellationToken.None));
        var notJson = Assert.ThrowsAsync<InvalidInputException>(() => export.ApplyFileAsync(ResourceType.Secrets, broken, target, CancellationToken.None));

        Assert.That(wrongKind!.Message, Does.Contain("is not a v1 ConfigMap"));
        Assert.That(notJson!.Message, Does.Contain("is not valid JSON").And.Not.Contain("c2VjcmV0"));
        Assert.That((await Client.CoreV1.ListNamespacedSecretAsync(target)).Items, Is.Empty);
        Assert.That((await Client.CoreV1.ListNamespacedConfigMapAsync(target)).Items, Is.Empty);
    }
}

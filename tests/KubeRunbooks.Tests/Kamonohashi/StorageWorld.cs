using System.Security.Cryptography;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using KubeRunbooks.Backups.Trees;
using KubeRunbooks.Simulator.Scenarios;
using KubeRunbooks.Simulator.Server;
using KubeRunbooks.Tests.Support;
using KubeRunbooks.Tests.Vantiq;

namespace KubeRunbooks.Tests.Kamonohashi;

/// <summary>
/// A simulated KAMONOHASHI install for the storage targets: the application (2 replicas), MinIO with its
/// <c>minio-credential</c> Secret (also read by the application), and the storage tree as the hostPath
/// <c>/var/lib/kamonohashi/nfs</c>, whose folder on this machine the tests fill and read directly. Profile <c>test</c>.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class StorageWorld : IAsyncDisposable
{
    /// <summary>The application Deployment.</summary>
    public const string App = "platypus-web-api";

    /// <summary>MinIO's secret key at the start.</summary>
    public const string OldSecretKey = "old-minio-secret-key-5e1f";

    private const string ScenarioYaml = """
        readinessDelaySeconds: 0
        objects:
          - { apiVersion: v1, kind: Namespace, metadata: { name: kqi-system } }
          - apiVersion: v1
            kind: Secret
            metadata: { name: minio-credential, namespace: kqi-system }
            type: Opaque
            stringData: { MINIO_ACCESS_KEY: admin, MINIO_SECRET_KEY: old-minio-secret-key-5e1f }
          - apiVersion: apps/v1
            kind: Deployment
            metadata: { name: minio, namespace: kqi-system, labels: { app: minio } }
            spec:
              replicas: 1
              selector: { matchLabels: { app: minio } }
              template:
                metadata: { labels: { app: minio } }
                spec:
                  containers:
                    - name: minio
                      image: minio/minio:RELEASE.2021-04-22T15-44-28Z
                      envFrom: [{ secretRef: { name: minio-credential } }]
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
                        - name: ObjectStorageOptions__SecretKey
                          valueFrom: { secretKeyRef: { name: minio-credential, key: MINIO_SECRET_KEY } }
        """;

    private StorageWorld(string root, SimulatedCluster cluster, HostWorkspace workspace)
    {
        Root = root;
        Cluster = cluster;
        Workspace = workspace;
        Client = new k8s.Kubernetes(cluster.ClientConfiguration);
        StorageFolder = Path.Combine(SimulatedClusterBuilder.RuntimeFolderOf(Path.Combine(root, "cluster")), "hostpath", "var", "lib", "kamonohashi", "nfs");
    }

    /// <summary>The cluster's folder.</summary>
    public string Root { get; }

    /// <summary>The cluster.</summary>
    public SimulatedCluster Cluster { get; }

    /// <summary>The host's working folder (profile <c>test</c>; backups in <c>backups/</c>).</summary>
    public HostWorkspace Workspace { get; }

    /// <summary>A client of the cluster.</summary>
    public k8s.Kubernetes Client { get; }

    /// <summary>The storage tree's folder on this machine (the hostPath's).</summary>
    public string StorageFolder { get; }

    /// <summary>The profile's backup folder.</summary>
    public string BackupFolder => Path.Combine(Workspace.Folder, "backups");

    /// <summary>Starts the cluster and writes the profile.</summary>
    public static async Task<StorageWorld> StartAsync(bool enforceRbac = false)
    {
        var root = Path.Combine(Path.GetTempPath(), "kr-kqs-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(root);
        var scenarioFile = Path.Combine(root, "kqi-storage.yaml");
        await File.WriteAllTextAsync(scenarioFile, ScenarioYaml);
        var cluster = await SimulatedClusterBuilder.StartAsync(Scenario.Load(scenarioFile), Path.Combine(root, "cluster"),
            new ScenarioClusterSettings { ReadinessDelay = TimeSpan.FromMilliseconds(50), RestartBackOff = TimeSpan.FromMilliseconds(200), EnforceRbac = enforceRbac });
        var world = new StorageWorld(root, cluster, new HostWorkspace());
        Directory.CreateDirectory(world.StorageFolder);
        world.Workspace.WriteKubeconfigProfile("test", cluster.KubeconfigPath,
            "timeouts: { default: 60s, podReady: 60s, rollout: 60s }\nkamonohashi:\n  storageHelperImage: debian:bookworm-slim\n");
        await world.WaitForReadyAsync(App, 2);
        return world;
    }

    /// <summary>Runs the host.</summary>
    public HostRun Run(params string[] args) => Workspace.Run(args);

    /// <summary>Runs the host with environment variables.</summary>
    public HostRun Run(IReadOnlyDictionary<string, string> environment, params string[] args) => Workspace.Run(environment, args);

    /// <summary>The audit log's entries so far.</summary>
    public IReadOnlyList<AuditLine> Audit() =>
        File.Exists(Cluster.AuditLogPath)
            ? File.ReadAllLines(Cluster.AuditLogPath).Where(l => l.Length > 0).Select(l => new AuditLine(JsonNode.Parse(l)!.AsObject())).ToList()
            : [];

    /// <summary>The pods of the namespace now.</summary>
    public async Task<IReadOnlyList<V1Pod>> PodsAsync() => (await Client.CoreV1.ListNamespacedPodAsync("kqi-system")).Items.ToList();

    /// <summary>Waits (30 s at most) until the Deployment has exactly its replicas, all ready.</summary>
    public async Task WaitForReadyAsync(string deployment, int replicas)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var d = await Client.AppsV1.ReadNamespacedDeploymentAsync(deployment, "kqi-system");
            if ((d.Status?.ReadyReplicas ?? 0) == replicas && (d.Status?.Replicas ?? 0) == replicas && d.Spec.Replicas == replicas) return;
            if (DateTime.UtcNow > deadline) Assert.Fail($"deployment kqi-system/{deployment} did not reach {replicas} ready replicas");
            await Task.Delay(50);
        }
    }

    /// <summary>The complete sets of the backup folder (by name).</summary>
    public IReadOnlyList<string> SetNames() =>
        Directory.Exists(BackupFolder) ? Directory.GetDirectories(BackupFolder).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList() : [];

    /// <summary>Empties the storage tree.</summary>
    public void WipeStorage()
    {
        foreach (var entry in Directory.EnumerateFileSystemEntries(StorageFolder))
        {
            if (new FileInfo(entry).LinkTarget is not null || File.Exists(entry)) File.Delete(entry);
            else Directory.Delete(entry, recursive: true);
        }
    }

    /// <summary>
    /// Fills the storage tree with what KAMONOHASHI keeps there: nested folders with their own modes, a non-ASCII
    /// name, a 1 MiB incompressible file, an empty read-only file, an executable, a symbolic link; fixed mtimes.
    /// </summary>
    public void SeedStorage()
    {
        WipeStorage();
        var s = StorageFolder;
        Directory.CreateDirectory(Path.Combine(s, "training", "42", "output"));
        Directory.CreateDirectory(Path.Combine(s, "data", "ü-日本語"));
        File.WriteAllText(Path.Combine(s, "training", "42", "output", "model.txt"), "weights 0.25 0.5\n");
        File.WriteAllBytes(Path.Combine(s, "data", "ü-日本語", "画像.bin"), RandomNumberGenerator.GetBytes(1024 * 1024));
        File.WriteAllBytes(Path.Combine(s, "data", "empty"), []);
        File.WriteAllText(Path.Combine(s, "run.sh"), "#!/bin/sh\necho train\n");
        File.CreateSymbolicLink(Path.Combine(s, "latest"), "training/42");
        Mode("training/42/output/model.txt", "640");
        Mode("data/ü-日本語/画像.bin", "600");
        Mode("data/empty", "444");
        Mode("run.sh", "755");
        Mode("training/42", "750");
        Mode("data", "2775");
        var t = new DateTime(2024, 3, 1, 9, 30, 15, DateTimeKind.Utc);
        foreach (var file in new[] { "training/42/output/model.txt", "data/ü-日本語/画像.bin", "data/empty", "run.sh" })
            File.SetLastWriteTimeUtc(Path.Combine(s, file), t = t.AddHours(1));
        foreach (var folder in new[] { "training/42/output", "training/42", "training", "data/ü-日本語", "data" })
            Directory.SetLastWriteTimeUtc(Path.Combine(s, folder), t = t.AddMinutes(7));
    }

    /// <summary>Sets a path's mode (octal text).</summary>
    public void Mode(string relative, string octal) => File.SetUnixFileMode(Path.Combine(StorageFolder, relative), (UnixFileMode)Convert.ToInt32(octal, 8));

    /// <summary>
    /// The storage tree as this machine sees it (this tool's aside folders left out): kind, mode, size, mtime, SHA-256
    /// of every path, computed here with .NET, independently of the listing the tool computes in the pod.
    /// </summary>
    public IReadOnlyList<TreeEntry> Snapshot(string? folder = null)
    {
        var root = folder ?? StorageFolder;
        var entries = new List<TreeEntry>();
        foreach (var path in Walk(root))
        {
            var relative = Path.GetRelativePath(root, path).Replace('\\', '/');
            if (folder is null && relative.StartsWith(".kuberunbooks-", StringComparison.Ordinal)) continue;
            var info = new FileInfo(path);
            var mode = (int)File.GetUnixFileMode(path) & 0xFFF;
            var seconds = new DateTimeOffset(info.LastWriteTimeUtc).ToUnixTimeSeconds();
            if (info.LinkTarget is { } target)
                entries.Add(new TreeEntry(relative, TreeEntryKind.Link, 0, 0, 0, Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(target)))));
            else if (Directory.Exists(path))
                entries.Add(new TreeEntry(relative, TreeEntryKind.Directory, mode, 0, new DateTimeOffset(Directory.GetLastWriteTimeUtc(path)).ToUnixTimeSeconds(), null));
            else
                entries.Add(new TreeEntry(relative, TreeEntryKind.File, mode, info.Length, seconds, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)))));
        }
        return entries;
    }

    private static IEnumerable<string> Walk(string folder)
    {
        foreach (var path in Directory.EnumerateFileSystemEntries(folder, "*", new EnumerationOptions { AttributesToSkip = 0 }).Order(StringComparer.Ordinal))
        {
            yield return path;
            if (new FileInfo(path).LinkTarget is null && Directory.Exists(path))
                foreach (var child in Walk(path)) yield return child;
        }
    }

    /// <summary>The aside folders a restore left in the storage tree.</summary>
    public IReadOnlyList<string> AsideFolders() =>
        Directory.GetDirectories(StorageFolder, ".kuberunbooks-aside-*").Order(StringComparer.Ordinal).ToList();

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

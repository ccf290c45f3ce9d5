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
public sealed class StorageWorld : ClusterWorld
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

    private StorageWorld(TestCluster cluster) : base(cluster)
    {
        StorageFolder = cluster.HostPathFolder("/var/lib/kamonohashi/nfs");
    }

    /// <summary>The storage tree's folder on this machine (the hostPath's).</summary>
    public string StorageFolder { get; }

    /// <summary>The profile's backup folder.</summary>
    public string BackupFolder => Path.Combine(Workspace.Folder, "backups");

    /// <summary>Starts the cluster and writes the profile.</summary>
    public static async Task<StorageWorld> StartAsync(bool enforceRbac = false)
    {
        var world = new StorageWorld(await TestCluster.OfScenarioYaml(ScenarioYaml).WithRbac(enforceRbac).StartAsync("kqs"));
        Directory.CreateDirectory(world.StorageFolder);
        world.WriteClusterProfile("test",
            "timeouts: { default: 60s, podReady: 60s, rollout: 60s }\nkamonohashi:\n  storageHelperImage: debian:bookworm-slim\n");
        await world.WaitForReadyAsync(App, 2);
        return world;
    }

    /// <summary>The pods of the namespace now.</summary>
    public async Task<IReadOnlyList<V1Pod>> PodsAsync() => (await Client.CoreV1.ListNamespacedPodAsync("kqi-system")).Items.ToList();

    /// <summary>Waits (30 s at most) until the Deployment has exactly its replicas, all ready.</summary>
    public Task WaitForReadyAsync(string deployment, int replicas) =>
        Eventually.UntilAsync(async () =>
        {
            var d = await Client.AppsV1.ReadNamespacedDeploymentAsync(deployment, "kqi-system");
            return (d.Status?.ReadyReplicas ?? 0) == replicas && (d.Status?.Replicas ?? 0) == replicas && d.Spec.Replicas == replicas;
        }, $"deployment kqi-system/{deployment} has exactly {replicas} replicas, all ready", TimeSpan.FromSeconds(30));

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
}

using System.Text.Json.Nodes;
using KubeRunbooks.Simulator.Server;
using KubeRunbooks.Tests.Frosting;
using KubeRunbooks.Tests.Simulator.Api;
using KubeRunbooks.Tests.Support;

namespace KubeRunbooks.Tests.Pipelines.Rbac;

/// <summary>
/// The service account <c>kuberunbooks</c> on a simulated cluster that enforces RBAC, holding exactly one manifest of
/// <c>rbac/</c> (or that manifest less one rule), and a profile <c>rbac</c> that reaches the cluster with its token:
/// a copy of the world's own profile with only the kubeconfig changed.
/// </summary>
internal sealed class RbacAccount
{
    /// <summary>The service account's name, as every manifest binds it.</summary>
    public const string ServiceAccount = "kuberunbooks";

    /// <summary>The service account's namespace, as every manifest binds it.</summary>
    public const string Namespace = "kuberunbooks";

    private readonly SimulatedCluster _cluster;
    private readonly HostWorkspace _workspace;
    private readonly string _folder;
    private readonly Kubectl _kubectl;
    private string? _applied;

    private RbacAccount(SimulatedCluster cluster, HostWorkspace workspace, string folder)
    {
        _cluster = cluster;
        _workspace = workspace;
        _folder = folder;
        _kubectl = new Kubectl(cluster.KubeconfigPath, Path.Combine(folder, "kubectl-cache"));
    }

    /// <summary>Creates the namespace and the service account the manifests bind.</summary>
    public static async Task<RbacAccount> CreateAsync(SimulatedCluster cluster, HostWorkspace workspace)
    {
        var folder = Path.Combine(workspace.Folder, "rbac-account");
        Directory.CreateDirectory(folder);
        var account = new RbacAccount(cluster, workspace, folder);
        if ((await account._kubectl.RunAsync("get", "namespace", Namespace)).ExitCode != 0) await account.MustAsync("create", "namespace", Namespace);
        await account.MustAsync("create", "serviceaccount", ServiceAccount, "-n", Namespace);
        return account;
    }

    /// <summary>The text of <c>rbac/NAME</c> as the repository ships it.</summary>
    public static string Manifest(string name) => File.ReadAllText(Path.Combine(RepositoryPaths.Root, "rbac", name));

    /// <summary>
    /// The manifest with one rule narrowed: <paramref name="rule"/> (a line of it) replaced by <paramref name="narrowed"/>.
    /// Fails the test when the line is not in the manifest, so a test cannot pass by removing nothing.
    /// </summary>
    public static string Without(string name, string rule, string narrowed)
    {
        var yaml = Manifest(name);
        Assert.That(yaml, Does.Contain(rule), $"rbac/{name} has the rule to remove");
        return yaml.Replace(rule, narrowed, StringComparison.Ordinal);
    }

    /// <summary>
    /// Grants exactly <paramref name="yaml"/>: the roles of the previous grant are deleted first, then these applied,
    /// and the profile <c>rbac</c> is written from <paramref name="profile"/> with a fresh token of the account.
    /// </summary>
    public async Task GrantExactlyAsync(string yaml, string profile = "test")
    {
        if (_applied is not null) await MustAsync("delete", "-f", _applied, "--ignore-not-found");
        var file = Path.Combine(_folder, $"grant-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, yaml);
        await MustAsync("apply", "-f", file);
        _applied = file;
        var token = (await MustAsync("create", "token", ServiceAccount, "-n", Namespace)).Stdout.Trim();
        var kubeconfig = Path.Combine(_folder, "sa.kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, (await File.ReadAllTextAsync(_cluster.KubeconfigPath)).Replace(_cluster.Token, token, StringComparison.Ordinal));
        var source = await File.ReadAllTextAsync(Path.Combine(_workspace.Folder, "clusters", profile + ".yaml"));
        Assert.That(source, Does.Contain(_cluster.KubeconfigPath), "the world's profile reaches the cluster through its kubeconfig");
        _workspace.WriteProfile("rbac", source.Replace(_cluster.KubeconfigPath, kubeconfig, StringComparison.Ordinal));
    }

    /// <summary>The requests the service account made since <paramref name="from"/> lines of the access log.</summary>
    public IReadOnlyList<JsonObject> Requests(int from = 0) =>
        AccessLines().Skip(from).Where(l => (string?)l["user"] == $"system:serviceaccount:{Namespace}:{ServiceAccount}").ToList();

    /// <summary>How many lines the access log has now (a mark for <see cref="Requests"/>).</summary>
    public int Mark() => AccessLines().Count;

    /// <summary>The writes (create, update, patch, delete) the service account made since the mark.</summary>
    public IReadOnlyList<JsonObject> Writes(int from) =>
        Requests(from).Where(l => (string?)l["verb"] is "create" or "update" or "patch" or "delete" or "deletecollection").ToList();

    /// <summary>The requests refused since the mark, one line each, for a failure message.</summary>
    public string Refused(int from) =>
        string.Join("\n", Requests(from).Where(l => l["allowed"]?.GetValue<bool>() == false).Select(Describe).Distinct());

    /// <summary>Every distinct request of the account since the mark (verb, resource, namespace), for finding the least rules.</summary>
    public string Asked(int from) => string.Join("\n", Requests(from).Select(Describe).Distinct().Order());

    private static string Describe(JsonObject l) =>
        $"{l["verb"]} {l["resource"]}{(l["subresource"] is { } s ? "/" + s : "")}{((string?)l["apiGroup"] is { Length: > 0 } g ? "." + g : "")} in {(string?)l["namespace"] ?? "(cluster)"}";

    private List<JsonObject> AccessLines()
    {
        if (!File.Exists(_cluster.AccessLogPath)) return [];
        using var stream = new FileStream(_cluster.AccessLogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
    }

    private async Task<KubectlResult> MustAsync(params string[] args)
    {
        var result = await _kubectl.RunAsync(args);
        Assert.That(result.ExitCode, Is.Zero, $"kubectl {string.Join(' ', args)}: {result.Stderr}");
        return result;
    }
}

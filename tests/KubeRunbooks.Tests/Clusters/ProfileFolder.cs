namespace KubeRunbooks.Tests.Clusters;

/// <summary>A temporary profiles folder and home folder for one test.</summary>
internal sealed class ProfileFolder : IDisposable
{
    public ProfileFolder()
    {
        Root = Path.Combine(Path.GetTempPath(), "kr-profiles-" + Guid.NewGuid().ToString("N"));
        Clusters = Path.Combine(Root, "clusters");
        Home = Path.Combine(Root, "home");
        Directory.CreateDirectory(Clusters);
        Directory.CreateDirectory(Home);
    }

    public string Root { get; }

    public string Clusters { get; }

    public string Home { get; }

    public Dictionary<string, string> Environment { get; } = new();

    public KubeRunbooks.Clusters.ProfileCatalog Catalog() =>
        new(Clusters, name => Environment.GetValueOrDefault(name), Home, products: TestProducts.Sections);

    public string Write(string name, string yaml)
    {
        var path = Path.Combine(Clusters, name + ".yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    /// <summary>Writes a kubeconfig with the given contexts (the first is current) and returns its path.</summary>
    public string WriteKubeconfig(string relativePath, params string[] contexts)
    {
        var path = Path.Combine(Home, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var lines = new List<string>
        {
            "apiVersion: v1",
            "kind: Config",
            "clusters:",
            "- name: c1",
            "  cluster:",
            "    server: https://127.0.0.1:6443",
            "    insecure-skip-tls-verify: true",
            "users:",
            "- name: u1",
            "  user:",
            "    token: not-a-real-token",
            "contexts:",
        };
        foreach (var context in contexts)
        {
            lines.AddRange([$"- name: {context}", "  context:", "    cluster: c1", "    user: u1"]);
        }

        if (contexts.Length > 0)
        {
            lines.Add($"current-context: {contexts[0]}");
        }

        File.WriteAllLines(path, lines);
        return path;
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}

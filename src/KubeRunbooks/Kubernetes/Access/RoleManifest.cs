using YamlDotNet.RepresentationModel;

namespace KubeRunbooks.Kubernetes.Access;

/// <summary>
/// A least-privilege manifest as the repository ships it (<c>rbac/*.yaml</c>): Roles and ClusterRoles, with their
/// bindings, whose annotation <c>kuberunbooks.io/targets</c> lists the targets it is for. Read so that a run can ask
/// the cluster, before its first change, whether its account holds every rule.
/// </summary>
public sealed class RoleManifest
{
    /// <summary>The annotation naming the targets (comma-separated) a manifest's roles are for.</summary>
    public const string TargetsAnnotation = "kuberunbooks.io/targets";

    /// <summary>
    /// The annotation naming an option without which the targets talk to no cluster (<c>node</c>: NodeConfigBackup
    /// reads its own host unless <c>--node</c> names one), so the rules are checked only when it is given.
    /// </summary>
    public const string OnlyWithAnnotation = "kuberunbooks.io/only-with";

    private RoleManifest(string name, IReadOnlyList<string> targets, IReadOnlyList<AccessRule> rules, string? onlyWith)
    {
        Name = name;
        Targets = targets;
        Rules = rules;
        OnlyWith = onlyWith;
    }

    /// <summary>The option without which the targets need none of these rules, or null when they always do.</summary>
    public string? OnlyWith { get; }

    /// <summary>The manifest's file name (<c>kamonohashi-backup-schedule.yaml</c>).</summary>
    public string Name { get; }

    /// <summary>The targets it is for.</summary>
    public IReadOnlyList<string> Targets { get; }

    /// <summary>Every rule, expanded to one verb on one resource (and one name, where the rule names objects).</summary>
    public IReadOnlyList<AccessRule> Rules { get; }

    /// <summary>Parses a manifest's YAML documents; kinds other than Role and ClusterRole are skipped.</summary>
    /// <exception cref="FormatException">A Role or ClusterRole lacks what a rule needs.</exception>
    public static RoleManifest Parse(string name, string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var targets = new List<string>();
        var rules = new List<AccessRule>();
        string? onlyWith = null;
        foreach (var document in stream.Documents)
        {
            if (document.RootNode is not YamlMappingNode root) continue;
            var kind = Scalar(root, "kind");
            if (kind is not ("Role" or "ClusterRole")) continue;
            var metadata = root.Children.TryGetValue("metadata", out var m) ? m as YamlMappingNode : null;
            var ns = kind == "Role" ? Scalar(metadata, "namespace") ?? throw new FormatException($"{name}: Role {Scalar(metadata, "name")} has no namespace.") : null;
            if (metadata?.Children.TryGetValue("annotations", out var a) == true && a is YamlMappingNode annotations && Scalar(annotations, TargetsAnnotation) is { } list)
                targets.AddRange(list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
            if (metadata?.Children.TryGetValue("annotations", out var o) == true && o is YamlMappingNode more && Scalar(more, OnlyWithAnnotation) is { } option)
                onlyWith = option;
            if (!root.Children.TryGetValue("rules", out var r) || r is not YamlSequenceNode ruleNodes) continue;
            foreach (var rule in ruleNodes.OfType<YamlMappingNode>())
                rules.AddRange(Expand(rule, ns));
        }
        return new RoleManifest(name, targets.Distinct(StringComparer.Ordinal).ToList(), rules, onlyWith);
    }

    private static IEnumerable<AccessRule> Expand(YamlMappingNode rule, string? ns)
    {
        var names = Strings(rule, "resourceNames").DefaultIfEmpty(null);
        return from verb in Strings(rule, "verbs")
               from apiGroup in Strings(rule, "apiGroups")
               from resource in Strings(rule, "resources")
               from objectName in names
               let slash = resource.IndexOf('/', StringComparison.Ordinal)
               select new AccessRule(verb, apiGroup, slash < 0 ? resource : resource[..slash], slash < 0 ? null : resource[(slash + 1)..], ns, objectName);
    }

    private static IEnumerable<string> Strings(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(key, out var value) && value is YamlSequenceNode sequence
            ? sequence.OfType<YamlScalarNode>().Select(s => s.Value ?? "")
            : [];

    private static string? Scalar(YamlMappingNode? node, string key) =>
        node is not null && node.Children.TryGetValue(key, out var value) && value is YamlScalarNode scalar ? scalar.Value : null;
}

using System.Globalization;
using System.Text.Json.Nodes;

namespace KubeRunbooks.Simulator.Controllers;

/// <summary>
/// The scheduler's filters, in the default plugin order (NodeUnschedulable, TaintToleration,
/// NodeAffinity): whether a pod may run on a node, and if not, the reason worded as the real
/// scheduler words it in FailedScheduling (<c>node(s) had untolerated taint {key: value}</c>).
/// </summary>
public static class NodeFit
{
    /// <summary>The reason the pod does not fit the node, or null when it fits.</summary>
    public static string? Reject(JsonObject pod, JsonObject node)
    {
        var tolerations = (pod["spec"]?["tolerations"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        if ((node["spec"]?["unschedulable"] as JsonValue)?.GetValue<bool>() == true &&
            !tolerations.Any(t => Tolerates(t, "node.kubernetes.io/unschedulable", "", "NoSchedule")))
        {
            return "node(s) were unschedulable";
        }
        foreach (var taint in (node["spec"]?["taints"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var effect = (string?)taint["effect"] ?? "";
            // PreferNoSchedule only scores; NoSchedule and NoExecute filter.
            if (effect is not ("NoSchedule" or "NoExecute")) continue;
            var key = (string?)taint["key"] ?? "";
            var value = (string?)taint["value"] ?? "";
            if (!tolerations.Any(t => Tolerates(t, key, value, effect))) return $"node(s) had untolerated taint {{{key}: {value}}}";
        }
        if (!MatchesNodeSelector(pod, node) || !MatchesRequiredAffinity(pod, node)) return "node(s) didn't match Pod's node affinity/selector";
        return null;
    }

    /// <summary>
    /// The node's score for the pod among those it fits, as the NodeAffinity and TaintToleration score plugins
    /// rank them: the weights of the pod's preferred node-affinity terms the node matches, then fewer untolerated
    /// PreferNoSchedule taints. Higher is better; the scheduler breaks ties by load, then name.
    /// </summary>
    public static (int Affinity, int AvoidedTaints) Score(JsonObject pod, JsonObject node)
    {
        var preferred = pod["spec"]?["affinity"]?["nodeAffinity"]?["preferredDuringSchedulingIgnoredDuringExecution"] as JsonArray ?? [];
        var affinity = preferred.OfType<JsonObject>()
            .Where(p => p["preference"] is JsonObject term && MatchesTerm(term, node))
            .Sum(p => (int?)p["weight"] ?? 0);
        var tolerations = (pod["spec"]?["tolerations"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var untolerated = (node["spec"]?["taints"] as JsonArray ?? []).OfType<JsonObject>()
            .Count(t => (string?)t["effect"] == "PreferNoSchedule" &&
                        !tolerations.Any(tol => Tolerates(tol, (string?)t["key"] ?? "", (string?)t["value"] ?? "", "PreferNoSchedule")));
        return (affinity, -untolerated);
    }

    /// <summary>True when the toleration tolerates the taint (key, value, effect), as core/v1's ToleratesTaint.</summary>
    public static bool Tolerates(JsonObject toleration, string key, string value, string effect)
    {
        var tEffect = (string?)toleration["effect"] ?? "";
        if (tEffect.Length > 0 && tEffect != effect) return false;
        var tKey = (string?)toleration["key"] ?? "";
        var op = (string?)toleration["operator"] ?? "Equal";
        if (tKey.Length == 0) return op == "Exists";
        if (tKey != key) return false;
        return op == "Exists" || (op == "Equal" && ((string?)toleration["value"] ?? "") == value);
    }

    private static bool MatchesNodeSelector(JsonObject pod, JsonObject node)
    {
        if (pod["spec"]?["nodeSelector"] is not JsonObject selector) return true;
        var labels = node["metadata"]?["labels"] as JsonObject;
        return selector.All(s => labels?[s.Key] is JsonValue v && v.ToString() == s.Value?.ToString());
    }

    private static bool MatchesRequiredAffinity(JsonObject pod, JsonObject node)
    {
        var terms = pod["spec"]?["affinity"]?["nodeAffinity"]?["requiredDuringSchedulingIgnoredDuringExecution"]?["nodeSelectorTerms"] as JsonArray;
        if (terms == null) return true;
        // Terms are ORed.
        return terms.OfType<JsonObject>().Any(term => MatchesTerm(term, node));
    }

    /// <summary>The requirements inside one node selector term are ANDed; an empty term matches nothing.</summary>
    private static bool MatchesTerm(JsonObject term, JsonObject node)
    {
        var expressions = (term["matchExpressions"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var fields = (term["matchFields"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        if (expressions.Count == 0 && fields.Count == 0) return false;
        var labels = node["metadata"]?["labels"] as JsonObject;
        return expressions.All(e => Requirement(e, k => (string?)labels?[k]))
            && fields.All(f => Requirement(f, k => k == "metadata.name" ? (string?)node["metadata"]?["name"] : null));
    }

    private static bool Requirement(JsonObject requirement, Func<string, string?> lookup)
    {
        var actual = lookup((string?)requirement["key"] ?? "");
        var values = (requirement["values"] as JsonArray ?? []).Select(v => v?.ToString() ?? "").ToList();
        return (string?)requirement["operator"] switch
        {
            "In" => actual != null && values.Contains(actual),
            "NotIn" => actual == null || !values.Contains(actual),
            "Exists" => actual != null,
            "DoesNotExist" => actual == null,
            "Gt" => Compare(actual, values) > 0,
            "Lt" => Compare(actual, values) is < 0 and not int.MinValue,
            _ => false,
        };
    }

    /// <summary>actual compared with the single integer value; int.MinValue when either is not an integer.</summary>
    private static int Compare(string? actual, List<string> values) =>
        values.Count == 1 && long.TryParse(actual, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var a)
            && long.TryParse(values[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var b)
            ? a.CompareTo(b) : int.MinValue;
}

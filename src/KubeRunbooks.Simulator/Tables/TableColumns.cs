using System.Text.Json.Nodes;
using KubeRunbooks.Simulator.Store;

namespace KubeRunbooks.Simulator.Tables;

/// <summary>One column of a kind's table: header, type and how a cell is computed from the object.</summary>
internal sealed record TableColumn(string Name, string Type, Func<JsonObject, DateTimeOffset, JsonNode?> Cell, int Priority = 0);

/// <summary>The columns kubectl shows for each kind (as the real server's table convertors define them).</summary>
internal static class TableColumns
{
    private static readonly TableColumn Name = new("Name", "string", (o, _) => Str(o, "metadata", "name"));
    private static readonly TableColumn Age = new("Age", "string", (o, now) => AgeFormat.Since((string?)o["metadata"]?["creationTimestamp"], now));

    public static IReadOnlyList<TableColumn> For(ResourceKind kind)
    {
        if (kind == ResourceCatalog.Pods)
        {
            return [Name, new("Ready", "string", (o, _) => PodStatusText.Ready(o)), new("Status", "string", (o, _) => PodStatusText.Status(o)),
                new("Restarts", "string", (o, _) => PodStatusText.Restarts(o)), Age,
                new("IP", "string", (o, _) => Str(o, "status", "podIP") ?? "<none>", 1), new("Node", "string", (o, _) => Str(o, "spec", "nodeName") ?? "<none>", 1)];
        }
        if (kind == ResourceCatalog.StatefulSets)
        {
            return [Name, new("Ready", "string", (o, _) => $"{Num(o, "status", "readyReplicas")}/{Num(o, "spec", "replicas")}"), Age];
        }
        if (kind == ResourceCatalog.Deployments)
        {
            return [Name, new("Ready", "string", (o, _) => $"{Num(o, "status", "readyReplicas")}/{Num(o, "spec", "replicas")}"),
                new("Up-to-date", "integer", (o, _) => Num(o, "status", "updatedReplicas")),
                new("Available", "integer", (o, _) => Num(o, "status", "availableReplicas")), Age];
        }
        if (kind == ResourceCatalog.Jobs)
        {
            return [Name, new("Status", "string", (o, _) => JobStatus(o)),
                new("Completions", "string", (o, _) => $"{Num(o, "status", "succeeded")}/{JsonNumbers.AsLong(o["spec"]?["completions"]) ?? 1}"),
                new("Duration", "string", (o, now) => JobDuration(o, now)), Age];
        }
        if (kind == ResourceCatalog.CronJobs)
        {
            return [Name, new("Schedule", "string", (o, _) => Str(o, "spec", "schedule")),
                new("Suspend", "boolean", (o, _) => (o["spec"]?["suspend"] as JsonValue)?.GetValue<bool>() == true ? "True" : "False"),
                new("Active", "integer", (o, _) => (o["status"]?["active"] as JsonArray)?.Count ?? 0),
                new("Last Schedule", "string", (o, now) => Str(o, "status", "lastScheduleTime") is { } t ? AgeFormat.Since(t, now) : "<none>"), Age];
        }
        if (kind == ResourceCatalog.Services)
        {
            return [Name, new("Type", "string", (o, _) => Str(o, "spec", "type")), new("Cluster-IP", "string", (o, _) => Str(o, "spec", "clusterIP")),
                new("External-IP", "string", (o, _) => "<none>"), new("Port(s)", "string", (o, _) => ServicePorts(o)), Age];
        }
        if (kind == ResourceCatalog.ConfigMaps)
        {
            return [Name, new("Data", "integer", (o, _) => (o["data"] as JsonObject)?.Count ?? 0), Age];
        }
        if (kind == ResourceCatalog.Secrets)
        {
            return [Name, new("Type", "string", (o, _) => Str(o, "type")), new("Data", "integer", (o, _) => (o["data"] as JsonObject)?.Count ?? 0), Age];
        }
        if (kind == ResourceCatalog.PersistentVolumeClaims)
        {
            return [Name, new("Status", "string", (o, _) => Str(o, "status", "phase")), new("Volume", "string", (o, _) => Str(o, "spec", "volumeName") ?? ""),
                new("Capacity", "string", (o, _) => (string?)o["spec"]?["resources"]?["requests"]?["storage"] ?? ""),
                new("Access Modes", "string", (o, _) => AccessModes(o)), new("StorageClass", "string", (o, _) => Str(o, "spec", "storageClassName") ?? ""), Age];
        }
        if (kind == ResourceCatalog.ReplicaSets)
        {
            return [Name, new("Desired", "integer", (o, _) => Num(o, "spec", "replicas")), new("Current", "integer", (o, _) => Num(o, "status", "replicas")),
                new("Ready", "integer", (o, _) => Num(o, "status", "readyReplicas")), Age,
                new("Containers", "string", (o, _) => Containers(o, "name"), 1), new("Images", "string", (o, _) => Containers(o, "image"), 1),
                new("Selector", "string", (o, _) => MatchLabels(o), 1)];
        }
        if (kind == ResourceCatalog.Nodes)
        {
            return [Name, new("Status", "string", (o, _) => NodeStatus(o)), new("Roles", "string", (o, _) => NodeRoles(o)), Age,
                new("Version", "string", (o, _) => Str(o, "status", "nodeInfo", "kubeletVersion") ?? ""),
                new("Internal-IP", "string", (o, _) => NodeAddress(o, "InternalIP"), 1), new("External-IP", "string", (o, _) => NodeAddress(o, "ExternalIP"), 1),
                new("OS-Image", "string", (o, _) => Str(o, "status", "nodeInfo", "osImage") ?? "<unknown>", 1),
                new("Kernel-Version", "string", (o, _) => Str(o, "status", "nodeInfo", "kernelVersion") ?? "<unknown>", 1),
                new("Container-Runtime", "string", (o, _) => Str(o, "status", "nodeInfo", "containerRuntimeVersion") ?? "<unknown>", 1)];
        }
        if (kind == ResourceCatalog.Events)
        {
            // As the real server's event table: LAST SEEN, TYPE, REASON, OBJECT (kind/name), MESSAGE.
            return [new("Last Seen", "string", (o, now) => AgeFormat.Since(Str(o, "lastTimestamp") ?? Str(o, "eventTime") ?? Str(o, "metadata", "creationTimestamp"), now)),
                new("Type", "string", (o, _) => Str(o, "type") ?? ""), new("Reason", "string", (o, _) => Str(o, "reason") ?? ""),
                new("Object", "string", (o, _) => $"{Str(o, "involvedObject", "kind")?.ToLowerInvariant()}/{Str(o, "involvedObject", "name")}"),
                new("Subobject", "string", (o, _) => Str(o, "involvedObject", "fieldPath") ?? "", 1),
                new("Source", "string", (o, _) => Str(o, "source", "component") ?? "", 1),
                new("Message", "string", (o, _) => Str(o, "message") ?? ""),
                new("First Seen", "string", (o, now) => AgeFormat.Since(Str(o, "firstTimestamp") ?? Str(o, "metadata", "creationTimestamp"), now), 1),
                new("Count", "string", (o, _) => (JsonNumbers.AsLong(o["count"]) ?? 1).ToString(System.Globalization.CultureInfo.InvariantCulture), 1),
                new("Name", "string", (o, _) => Str(o, "metadata", "name"), 1)];
        }
        if (kind == ResourceCatalog.ServiceAccounts)
        {
            return [Name, new("Secrets", "string", (o, _) => (o["secrets"] as JsonArray)?.Count ?? 0), Age];
        }
        if (kind == ResourceCatalog.Namespaces)
        {
            return [Name, new("Status", "string", (o, _) => Str(o, "status", "phase")), Age];
        }
        return [Name, Age];
    }

    private static string? Str(JsonObject o, params string[] path)
    {
        JsonNode? node = o;
        foreach (var segment in path) node = node?[segment];
        return node is JsonValue v ? v.ToString() : null;
    }

    private static long Num(JsonObject o, string section, string field) => JsonNumbers.AsLong(o[section]?[field]) ?? 0;

    private static string JobStatus(JsonObject job)
    {
        var conditions = (job["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().Where(c => (string?)c["status"] == "True").Select(c => (string?)c["type"]).ToList() ?? [];
        if (conditions.Contains("Complete")) return "Complete";
        if (conditions.Contains("Failed")) return "Failed";
        if ((job["spec"]?["suspend"] as JsonValue)?.GetValue<bool>() == true) return "Suspended";
        return "Running";
    }

    private static string JobDuration(JsonObject job, DateTimeOffset now)
    {
        var start = Str(job, "status", "startTime");
        if (start == null || !DateTimeOffset.TryParse(start, out var started)) return "";
        var end = Str(job, "status", "completionTime");
        var ended = end != null && DateTimeOffset.TryParse(end, out var e) ? e : now;
        return AgeFormat.Duration(ended - started);
    }

    private static string ServicePorts(JsonObject service)
    {
        var ports = (service["spec"]?["ports"] as JsonArray)?.OfType<JsonObject>()
            .Select(p => $"{JsonNumbers.AsLong(p["port"])}/{(string?)p["protocol"] ?? "TCP"}").ToList();
        return ports is { Count: > 0 } ? string.Join(",", ports) : "<none>";
    }

    private static string Containers(JsonObject workload, string field)
    {
        var containers = (workload["spec"]?["template"]?["spec"]?["containers"] as JsonArray)?.OfType<JsonObject>().Select(c => (string?)c[field]).ToList();
        return containers is { Count: > 0 } ? string.Join(",", containers) : "<none>";
    }

    private static string MatchLabels(JsonObject workload)
    {
        var labels = (workload["spec"]?["selector"]?["matchLabels"] as JsonObject)?.Select(l => $"{l.Key}={l.Value}").ToList();
        return labels is { Count: > 0 } ? string.Join(",", labels) : "<none>";
    }

    private static string NodeStatus(JsonObject node)
    {
        var ready = (node["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => (string?)c["type"] == "Ready");
        var text = ready == null ? "Unknown" : (string?)ready["status"] == "True" ? "Ready" : "NotReady";
        if ((node["spec"]?["unschedulable"] as JsonValue)?.GetValue<bool>() == true) text += ",SchedulingDisabled";
        return text;
    }

    private static string NodeRoles(JsonObject node)
    {
        const string prefix = "node-role.kubernetes.io/";
        var roles = (node["metadata"]?["labels"] as JsonObject)?.Select(l => l.Key).Where(k => k.StartsWith(prefix, StringComparison.Ordinal))
            .Select(k => k[prefix.Length..]).Where(r => r.Length > 0).Order(StringComparer.Ordinal).ToList();
        return roles is { Count: > 0 } ? string.Join(",", roles) : "<none>";
    }

    private static string NodeAddress(JsonObject node, string type) =>
        (node["status"]?["addresses"] as JsonArray)?.OfType<JsonObject>().Where(a => (string?)a["type"] == type).Select(a => (string?)a["address"]).FirstOrDefault() ?? "<none>";

    private static string AccessModes(JsonObject pvc)
    {
        var modes = (pvc["spec"]?["accessModes"] as JsonArray)?.Select(m => (string?)m switch
        {
            "ReadWriteOnce" => "RWO",
            "ReadOnlyMany" => "ROX",
            "ReadWriteMany" => "RWX",
            "ReadWriteOncePod" => "RWOP",
            var other => other,
        }).ToList();
        return modes is { Count: > 0 } ? string.Join(",", modes) : "";
    }
}

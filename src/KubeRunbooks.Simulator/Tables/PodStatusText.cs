using System.Text.Json.Nodes;
using KubeRunbooks.Simulator.Store;

namespace KubeRunbooks.Simulator.Tables;

/// <summary>The READY, STATUS and RESTARTS cells of a pod, following kubectl's pod printer (Init:N/M, Init:Error, CrashLoopBackOff, Terminating...).</summary>
internal static class PodStatusText
{
    public static string Ready(JsonObject pod)
    {
        var total = (pod["spec"]?["containers"] as JsonArray)?.Count ?? 0;
        var ready = Statuses(pod, "containerStatuses").Count(s => (s["ready"] as JsonValue)?.GetValue<bool>() == true);
        return $"{ready}/{total}";
    }

    public static string Restarts(JsonObject pod) =>
        Statuses(pod, "containerStatuses").Sum(s => JsonNumbers.AsLong(s["restartCount"]) ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static string Status(JsonObject pod)
    {
        var reason = (string?)pod["status"]?["reason"] ?? (string?)pod["status"]?["phase"] ?? "Unknown";
        var inits = Statuses(pod, "initContainerStatuses");
        var initTotal = (pod["spec"]?["initContainers"] as JsonArray)?.Count ?? 0;
        var initializing = false;
        for (var i = 0; i < inits.Count; i++)
        {
            var state = inits[i]["state"];
            var terminated = state?["terminated"];
            var waiting = state?["waiting"];
            if (terminated != null && JsonNumbers.AsLong(terminated["exitCode"]) == 0) continue;
            initializing = true;
            if (terminated != null)
            {
                reason = "Init:" + ((string?)terminated["reason"] is { Length: > 0 } r ? r : $"ExitCode:{JsonNumbers.AsLong(terminated["exitCode"])}");
            }
            else if ((string?)waiting?["reason"] is { Length: > 0 } w && w != "PodInitializing")
            {
                reason = "Init:" + w;
            }
            else
            {
                reason = $"Init:{i}/{initTotal}";
            }
            break;
        }
        if (!initializing)
        {
            foreach (var status in Enumerable.Reverse(Statuses(pod, "containerStatuses")))
            {
                var state = status["state"];
                if ((string?)state?["waiting"]?["reason"] is { Length: > 0 } waiting) reason = waiting;
                else if (state?["terminated"] is JsonObject terminated)
                {
                    reason = (string?)terminated["reason"] is { Length: > 0 } r ? r : $"ExitCode:{JsonNumbers.AsLong(terminated["exitCode"])}";
                }
            }
        }
        if (pod["metadata"]?["deletionTimestamp"] != null) reason = "Terminating";
        return reason;
    }

    private static List<JsonObject> Statuses(JsonObject pod, string field) =>
        (pod["status"]?[field] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
}

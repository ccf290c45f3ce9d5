using System.Globalization;
using System.Text.Json.Nodes;

namespace KubeRunbooks.Kubernetes.Workloads;

/// <summary>The patch bodies the workload operations send, built as JSON so values are always escaped.</summary>
public static class WorkloadPatches
{
    /// <summary>The annotation kubectl's rollout restart sets on the pod template.</summary>
    public const string RestartedAtAnnotation = "kubectl.kubernetes.io/restartedAt";

    /// <summary>Merge patch for the scale subresource: <c>{"spec":{"replicas":N}}</c>.</summary>
    public static string Scale(int replicas)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(replicas);
        return new JsonObject { ["spec"] = new JsonObject { ["replicas"] = replicas } }.ToJsonString();
    }

    /// <summary>Strategic merge patch setting one container's image (containers merge by name).</summary>
    /// <param name="container">The container name.</param>
    /// <param name="image">The full image reference.</param>
    /// <param name="initContainer">True to patch an init container.</param>
    public static string ContainerImage(string container, string image, bool initContainer = false) =>
        new JsonObject
        {
            ["spec"] = new JsonObject
            {
                ["template"] = new JsonObject
                {
                    ["spec"] = new JsonObject
                    {
                        [initContainer ? "initContainers" : "containers"] = new JsonArray(new JsonObject { ["name"] = container, ["image"] = image }),
                    },
                },
            },
        }.ToJsonString();

    /// <summary>
    /// One strategic merge patch setting the images of several containers and init containers (each list merges
    /// by name), so the pod template changes once: one new revision, one rollout.
    /// </summary>
    /// <param name="images">Container name, full image, and whether it is an init container.</param>
    public static string ContainerImages(IEnumerable<(string Container, string Image, bool InitContainer)> images)
    {
        var spec = new JsonObject();
        foreach (var group in images.GroupBy(i => i.InitContainer))
        {
            spec[group.Key ? "initContainers" : "containers"] = new JsonArray(
                group.Select(i => (JsonNode)new JsonObject { ["name"] = i.Container, ["image"] = i.Image }).ToArray());
        }
        return new JsonObject { ["spec"] = new JsonObject { ["template"] = new JsonObject { ["spec"] = spec } } }.ToJsonString();
    }

    /// <summary>Strategic merge patch of the pod template's restartedAt annotation, as <c>kubectl rollout restart</c> sends.</summary>
    public static string RolloutRestart(DateTimeOffset now) =>
        new JsonObject
        {
            ["spec"] = new JsonObject
            {
                ["template"] = new JsonObject
                {
                    ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [RestartedAtAnnotation] = Rfc3339(now) } },
                },
            },
        }.ToJsonString();

    /// <summary>Merge patch of metadata.annotations; a null value removes the key.</summary>
    public static string Annotations(IReadOnlyDictionary<string, string?> values)
    {
        var annotations = new JsonObject();
        foreach (var (key, value) in values) annotations[key] = value is null ? null : JsonValue.Create(value);
        return new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = annotations } }.ToJsonString();
    }

    /// <summary>
    /// The restartedAt stamp that changes the pod template: <paramref name="now"/> (to the second), or one second after
    /// the <paramref name="current"/> stamp when that is not earlier (two restarts in one second, or a clock behind).
    /// </summary>
    public static DateTimeOffset NextRestartStamp(string? current, DateTimeOffset now)
    {
        var wanted = new DateTimeOffset(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, now.Offset);
        if (current is null || !DateTimeOffset.TryParse(current, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var previous)) return wanted;
        return previous < wanted ? wanted : previous.ToOffset(now.Offset).AddSeconds(1);
    }

    /// <summary>RFC 3339 to the second, <c>Z</c> for UTC, as Go's time.RFC3339 writes it.</summary>
    public static string Rfc3339(DateTimeOffset time) =>
        time.Offset == TimeSpan.Zero
            ? time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : time.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
}

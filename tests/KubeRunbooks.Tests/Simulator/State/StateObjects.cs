using System.Text.Json.Nodes;
using KubeRunbooks.Simulator.Store;

namespace KubeRunbooks.Tests.Simulator.State;

/// <summary>Objects and folders the state tests use.</summary>
internal static class StateObjects
{
    public static JsonObject ConfigMap(string name, string value) => new()
    {
        ["metadata"] = new JsonObject { ["name"] = name },
        ["data"] = new JsonObject { ["value"] = value },
    };

    public static JsonObject Secret(string name, string base64Value) => new()
    {
        ["metadata"] = new JsonObject { ["name"] = name },
        ["data"] = new JsonObject { ["password"] = base64Value },
    };

    public static JsonObject Pod(string name) => new()
    {
        ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { ["app"] = "vantiq" } },
        ["spec"] = new JsonObject
        {
            ["restartPolicy"] = "Always",
            ["containers"] = new JsonArray(new JsonObject { ["name"] = "vantiq", ["image"] = "vantiq/vantiq-server:1.30.10" }),
        },
    };

    public static JsonObject RunningStatus() => new()
    {
        ["phase"] = "Running",
        ["hostIP"] = "127.0.0.1",
        ["podIP"] = "10.0.0.7",
        ["qosClass"] = "BestEffort",
        ["startTime"] = "2026-11-23T10:00:00Z",
        ["conditions"] = new JsonArray(
            Condition("PodScheduled", "True"),
            Condition("Initialized", "True"),
            Condition("ContainersReady", "True"),
            Condition("Ready", "True")),
        ["containerStatuses"] = new JsonArray(new JsonObject
        {
            ["name"] = "vantiq",
            ["ready"] = true,
            ["restartCount"] = 0,
            ["state"] = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = "2026-11-23T10:00:01Z" } },
        }),
    };

    public static JsonObject SucceededStatus() => new()
    {
        ["phase"] = "Succeeded",
        ["conditions"] = new JsonArray(Condition("Ready", "False")),
        ["containerStatuses"] = new JsonArray(new JsonObject
        {
            ["name"] = "vantiq",
            ["ready"] = false,
            ["state"] = new JsonObject { ["terminated"] = new JsonObject { ["exitCode"] = 0, ["reason"] = "Completed" } },
        }),
    };

    public static JsonObject CompletedJob(string name) => new()
    {
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject
        {
            ["template"] = new JsonObject
            {
                ["spec"] = new JsonObject
                {
                    ["restartPolicy"] = "Never",
                    ["containers"] = new JsonArray(new JsonObject { ["name"] = "backup", ["image"] = "mongo:4.2" }),
                },
            },
        },
    };

    public static JsonObject CompletedJobStatus() => new()
    {
        ["succeeded"] = 1,
        ["completionTime"] = "2026-11-23T10:05:00Z",
        ["conditions"] = new JsonArray(Condition("Complete", "True")),
    };

    public static JsonObject StatefulSet(string name) => new()
    {
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject
        {
            ["replicas"] = 3,
            ["serviceName"] = name,
            ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = name } },
            ["template"] = new JsonObject
            {
                ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = name } },
                ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = name, ["image"] = "vantiq/vantiq-server:1.30.10" }) },
            },
        },
    };

    /// <summary>Seeds what a scenario would: one ConfigMap.</summary>
    public static void SeedScenario(ObjectStore store) => store.Create(ResourceCatalog.ConfigMaps, "default", ConfigMap("scenario", "initial"));

    public static string NewFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "kuberunbooks-state-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }

    public static void DeleteFolder(string folder)
    {
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
    }

    public static long Version(JsonObject obj) => ObjectStore.ParseVersion(obj);

    private static JsonObject Condition(string type, string status) => new() { ["type"] = type, ["status"] = status };
}

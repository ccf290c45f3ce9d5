using System.Globalization;
using System.Text.Json.Nodes;
using KubeRunbooks.Simulator.Api;
using KubeRunbooks.Simulator.Faults;
using KubeRunbooks.Simulator.Patching;
using KubeRunbooks.Simulator.Store;

namespace KubeRunbooks.Simulator.Scenarios;

/// <summary>
/// A scenario file (<c>scenarios/NAME.yaml</c>): the Kubernetes objects to seed, the runtime's
/// image -> stand-in command mappings, the readiness delay and an optional fault plan. A scenario
/// may <c>include</c> others (<c>standard</c> is every product's scenario).
/// </summary>
public sealed class Scenario
{
    /// <summary>The folder name scenario files are looked up in.</summary>
    public const string FolderName = "scenarios";

    /// <summary>The scenario's name (its file name without extension).</summary>
    public required string Name { get; init; }

    /// <summary>The file(s) it was read from, the included ones first.</summary>
    public required IReadOnlyList<string> Files { get; init; }

    /// <summary>How long after all its containers run a pod becomes Ready.</summary>
    public TimeSpan ReadinessDelay { get; init; }

    /// <summary>Image (repository without tag, or its last segment) -> stand-in command; the container's args are appended.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> ImageCommands { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>The objects to seed, in file order (namespaces are created first when seeding).</summary>
    public IReadOnlyList<JsonObject> Objects { get; init; } = [];

    /// <summary>The scenario's <c>faults:</c> section, or null.</summary>
    public JsonObject? Faults { get; init; }

    /// <summary>
    /// Loads a scenario by path (a file that exists) or by name (<c>scenarios/NAME.yaml</c>, looked up in
    /// <paramref name="folder"/>, else in a <c>scenarios</c> folder of the working directory, of the
    /// application's folder or of one of their parents).
    /// </summary>
    public static Scenario Load(string nameOrPath, string? folder = null)
    {
        var path = Resolve(nameOrPath, folder);
        return Read(path, new HashSet<string>(StringComparer.Ordinal));
    }

    /// <summary>The names of the scenarios found in <paramref name="folder"/> (or the folder found as by <see cref="Load"/>).</summary>
    public static IReadOnlyList<string> Available(string? folder = null)
    {
        var dir = folder ?? FindFolder();
        return dir == null || !Directory.Exists(dir)
            ? []
            : Directory.GetFiles(dir, "*.yaml").Select(f => Path.GetFileNameWithoutExtension(f)!).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>The scenarios folder found from the working directory or the application's folder, or null.</summary>
    public static string? FindFolder()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, FolderName);
                if (Directory.Exists(candidate) && Directory.GetFiles(candidate, "*.yaml").Length > 0) return candidate;
            }
        }
        return null;
    }

    /// <summary>Creates the scenario's objects in the store (namespaces first); an object the store refuses is reported with its file.</summary>
    public void Seed(ObjectStore store)
    {
        foreach (var obj in Objects.OrderBy(o => (string?)o["kind"] == "Namespace" ? 0 : 1))
        {
            var apiVersion = (string?)obj["apiVersion"] ?? "";
            var kindName = (string?)obj["kind"] ?? "";
            var name = (string?)obj["metadata"]?["name"] ?? "";
            var kind = ResourceCatalog.FindByKind(apiVersion, kindName)
                ?? throw new ScenarioException($"Scenario {Name}: unsupported object kind {apiVersion}/{kindName} ({name}).");
            var copy = (JsonObject)obj.DeepClone();
            if (kind == ResourceCatalog.Secrets) TlsSecrets.FillIfEmpty(copy);
            try
            {
                if (kind == ResourceCatalog.Namespaces && store.TryGet(kind, null, name) != null) continue;
                store.Create(kind, kind.Namespaced ? (string?)copy["metadata"]?["namespace"] ?? "default" : null, copy);
            }
            catch (ApiError e)
            {
                throw new ScenarioException($"Scenario {Name}: {kindName} {name} cannot be created: {e.Message}");
            }
        }
    }

    /// <summary>Adds the scenario's faults (failingJobs, neverReadyPods, containerExits, httpFaults, dropWatchesAfterEvents) to the plan.</summary>
    public void ApplyFaults(FaultPlan plan)
    {
        if (Faults == null) return;
        plan.FailingJobs.AddRange(Strings(Faults["failingJobs"]));
        plan.NeverReadyPods.AddRange(Strings(Faults["neverReadyPods"]));
        foreach (var exit in (Faults["containerExits"] as JsonArray ?? []).OfType<JsonObject>())
        {
            plan.ContainerExits.Add(new ContainerExit((string?)exit["pod"] ?? ".*", (string?)exit["container"] ?? "", (int?)JsonNumbers.AsLong(exit["exitCode"]) ?? 1));
        }
        foreach (var http in (Faults["httpFaults"] as JsonArray ?? []).OfType<JsonObject>())
        {
            plan.AddHttpFault(new HttpFault
            {
                Method = (string?)http["method"] ?? "*",
                PathPattern = (string?)http["path"] ?? ".*",
                Status = (int?)JsonNumbers.AsLong(http["status"]) ?? 500,
                RetryAfterSeconds = (int?)JsonNumbers.AsLong(http["retryAfterSeconds"]),
                Remaining = (int?)JsonNumbers.AsLong(http["count"]) ?? 1,
            });
        }
        if (JsonNumbers.AsLong(Faults["dropWatchesAfterEvents"]) is long drop) plan.DropWatchesAfterEvents = (int)drop;
    }

    private static string Resolve(string nameOrPath, string? folder)
    {
        if (File.Exists(nameOrPath)) return Path.GetFullPath(nameOrPath);
        var dir = folder ?? FindFolder();
        var candidate = dir == null ? null : Path.Combine(dir, nameOrPath + ".yaml");
        if (candidate != null && File.Exists(candidate)) return candidate;
        var known = Available(dir);
        throw new ScenarioException(known.Count == 0
            ? $"Scenario '{nameOrPath}' not found: no {FolderName} folder with YAML files was found."
            : $"Scenario '{nameOrPath}' not found; available: {string.Join(", ", known)}.");
    }

    private static Scenario Read(string path, HashSet<string> reading)
    {
        var name = Path.GetFileNameWithoutExtension(path);
        if (!reading.Add(path)) throw new ScenarioException($"Scenario {name} ({path}): includes itself.");
        JsonObject root;
        try
        {
            root = YamlJson.Parse(File.ReadAllText(path)) as JsonObject
                ?? throw new ScenarioException($"Scenario {name} ({path}): the file is not a mapping.");
        }
        catch (ApiError e)
        {
            throw new ScenarioException($"Scenario {name} ({path}): {e.Message}");
        }

        var files = new List<string>();
        var objects = new List<JsonObject>();
        var images = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var delay = TimeSpan.Zero;
        JsonObject? faults = null;
        foreach (var included in Strings(root["include"]))
        {
            var inner = Read(Resolve(included, Path.GetDirectoryName(path)), reading);
            files.AddRange(inner.Files);
            objects.AddRange(inner.Objects);
            foreach (var (image, command) in inner.ImageCommands) images[image] = command;
            if (inner.ReadinessDelay > delay) delay = inner.ReadinessDelay;
            faults ??= inner.Faults;
        }
        files.Add(path);

        if (root["readinessDelaySeconds"] is JsonNode seconds)
        {
            var value = seconds.GetValueKind() == System.Text.Json.JsonValueKind.Number
                ? double.Parse(seconds.ToJsonString(), CultureInfo.InvariantCulture)
                : throw new ScenarioException($"Scenario {name} ({path}): readinessDelaySeconds must be a number.");
            delay = TimeSpan.FromSeconds(value);
        }
        if (root["images"] is JsonObject imageMap)
        {
            foreach (var (image, command) in imageMap)
            {
                var argv = Strings(command);
                if (argv.Count == 0) throw new ScenarioException($"Scenario {name} ({path}): images.{image} must be a non-empty list of strings.");
                images[image] = argv;
            }
        }
        foreach (var item in root["nodes"] as JsonArray ?? [])
        {
            objects.Add(NodeObject(item, name, path));
        }
        foreach (var item in root["objects"] as JsonArray ?? [])
        {
            if (item is not JsonObject obj || obj["kind"] == null || obj["metadata"]?["name"] == null)
            {
                throw new ScenarioException($"Scenario {name} ({path}): every object needs kind and metadata.name.");
            }
            objects.Add(obj);
        }
        if (root["faults"] is JsonObject own) faults = own;
        reading.Remove(path);
        return new Scenario
        {
            Name = name,
            Files = files,
            ReadinessDelay = delay,
            ImageCommands = images,
            Objects = objects,
            Faults = faults,
        };
    }

    /// <summary>A <c>nodes:</c> entry (<c>name</c>, optional <c>labels</c> and <c>taints</c>) as a Node object.</summary>
    private static JsonObject NodeObject(JsonNode? item, string scenario, string path)
    {
        if (item is not JsonObject entry || string.IsNullOrEmpty((string?)entry["name"]))
        {
            throw new ScenarioException($"Scenario {scenario} ({path}): every entry of nodes needs a name.");
        }
        if (entry["labels"] is not (null or JsonObject) || entry["taints"] is not (null or JsonArray))
        {
            throw new ScenarioException($"Scenario {scenario} ({path}): node {entry["name"]}: labels must be a mapping and taints a list.");
        }
        var spec = new JsonObject();
        if (entry["taints"] is JsonArray taints) spec["taints"] = taints.DeepClone();
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Node",
            ["metadata"] = new JsonObject { ["name"] = (string?)entry["name"], ["labels"] = entry["labels"]?.DeepClone() ?? new JsonObject() },
            ["spec"] = spec,
        };
    }

    private static List<string> Strings(JsonNode? node) => node switch
    {
        null => [],
        JsonArray array => array.Select(n => n?.ToString() ?? "").ToList(),
        _ => [Convert.ToString(node.ToString(), CultureInfo.InvariantCulture)],
    };
}

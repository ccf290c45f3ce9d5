using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using KubeRunbooks.Kubernetes.Annotations;

namespace KubeRunbooks.Runbooks.Ledger;

/// <summary>
/// An unfinished operation, kept as one JSON annotation (<see cref="AnnotationStore.Operation"/>) on the object it
/// changes, so a rerun (on this machine or another) resumes it instead of starting over: which target, with which
/// inputs, what it already took (a backup, a Job) that must not be taken twice, and when each milestone was reached.
/// Product-neutral: the keys are the runbook's own. Removed when the operation finishes.
/// </summary>
public sealed record OperationRecord
{
    // The flat record of the first release: its keys are read into the sections they belong to.
    private static readonly string[] LegacyInputs = ["from", "to", "fromImage"];
    private static readonly string[] LegacyTaken = ["backupId", "restoreJob"];
    private static readonly string[] LegacyMarks = ["stoppedAt", "readyAt"];

    /// <summary>The target that started it (e.g. <c>UpgradeMinor</c>).</summary>
    public required string Target { get; init; }

    /// <summary>The run that started it.</summary>
    public required string Run { get; init; }

    /// <summary>When it started.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>What it was started with (e.g. <c>from</c>, <c>to</c>): a rerun with other inputs is another operation.</summary>
    public IReadOnlyDictionary<string, string> Inputs { get; init; } = new Dictionary<string, string>();

    /// <summary>What it took, by name (e.g. the backup Job it created), once it took it.</summary>
    public IReadOnlyDictionary<string, string> Taken { get; init; } = new Dictionary<string, string>();

    /// <summary>When each milestone was reached (e.g. <c>stoppedAt</c>), once it was.</summary>
    public IReadOnlyDictionary<string, DateTimeOffset> Marks { get; init; } = new Dictionary<string, DateTimeOffset>();

    /// <summary>An input, or null.</summary>
    public string? Input(string key) => Inputs.GetValueOrDefault(key);

    /// <summary>What was taken under <paramref name="key"/>, or null.</summary>
    public string? TakenOf(string key) => Taken.GetValueOrDefault(key);

    /// <summary>When milestone <paramref name="key"/> was reached, or null.</summary>
    public DateTimeOffset? Mark(string key) => Marks.TryGetValue(key, out var at) ? at : null;

    /// <summary>This record with <paramref name="value"/> taken under <paramref name="key"/>.</summary>
    public OperationRecord WithTaken(string key, string value) => this with { Taken = With(Taken, key, value) };

    /// <summary>This record with milestone <paramref name="key"/> reached at <paramref name="at"/>.</summary>
    public OperationRecord WithMark(string key, DateTimeOffset at) => this with { Marks = With(Marks, key, at) };

    /// <summary>The annotation value: <c>{"target","run","startedAt","inputs":{},"taken":{},"marks":{}}</c>.</summary>
    public string ToJson()
    {
        var json = new JsonObject
        {
            ["target"] = Target,
            ["run"] = Run,
            ["startedAt"] = StartedAt.ToString("O", CultureInfo.InvariantCulture),
            ["inputs"] = Object(Inputs, v => v),
            ["taken"] = Object(Taken, v => v),
            ["marks"] = Object(Marks, v => v.ToString("O", CultureInfo.InvariantCulture)),
        };
        return json.ToJsonString();
    }

    /// <summary>
    /// Reads an annotation value, in this format or the flat one of the first release (<c>from</c>, <c>to</c>,
    /// <c>fromImage</c>, <c>backupId</c>, <c>stoppedAt</c>, ... at the top level); a value that is neither raises a
    /// one-line <see cref="InvalidDataException"/>.
    /// </summary>
    /// <param name="json">The annotation value.</param>
    /// <param name="where">The object it was read from, for the message.</param>
    public static OperationRecord Parse(string json, string where)
    {
        try
        {
            if (JsonNode.Parse(json) is not JsonObject root) throw new FormatException("not an object");
            var record = new OperationRecord
            {
                Target = Text(root, "target") ?? throw new FormatException("no target"),
                Run = Text(root, "run") ?? throw new FormatException("no run"),
                StartedAt = Time(Text(root, "startedAt") ?? throw new FormatException("no startedAt")),
            };
            if (root["inputs"] is JsonObject || root["taken"] is JsonObject || root["marks"] is JsonObject)
            {
                return record with
                {
                    Inputs = Map(root["inputs"] as JsonObject, v => v),
                    Taken = Map(root["taken"] as JsonObject, v => v),
                    Marks = Map(root["marks"] as JsonObject, Time),
                };
            }

            return record with
            {
                Inputs = Legacy(root, LegacyInputs, v => v),
                Taken = Legacy(root, LegacyTaken, v => v),
                Marks = Legacy(root, LegacyMarks, Time),
            };
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            throw new InvalidDataException($"The annotation {AnnotationStore.Operation} on {where} is not an operation record; remove it with kubectl annotate after checking the workloads by hand.");
        }
    }

    /// <summary>One line for logs and messages: <c>UpgradeMinor 1.30.10 -> 1.31.0 (run R, started T)</c>.</summary>
    public string Describe()
    {
        var what = Input("from") is { } from && Input("to") is { } to
            ? $"{from} -> {to}"
            : string.Join(", ", Inputs.Select(i => $"{i.Key}={i.Value}"));
        return $"{Target}{(what.Length == 0 ? "" : " " + what)} (run {Run}, started {StartedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC)";
    }

    private static IReadOnlyDictionary<string, T> With<T>(IReadOnlyDictionary<string, T> map, string key, T value) =>
        new Dictionary<string, T>(map, StringComparer.Ordinal) { [key] = value };

    private static JsonObject Object<T>(IReadOnlyDictionary<string, T> map, Func<T, string> text)
    {
        var json = new JsonObject();
        foreach (var (key, value) in map) json[key] = text(value);
        return json;
    }

    private static string? Text(JsonObject root, string key) =>
        root[key] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static IReadOnlyDictionary<string, T> Map<T>(JsonObject? json, Func<string, T> read) =>
        json is null ? new Dictionary<string, T>() : json.ToDictionary(p => p.Key, p => read(p.Value!.GetValue<string>()), StringComparer.Ordinal);

    private static IReadOnlyDictionary<string, T> Legacy<T>(JsonObject root, string[] keys, Func<string, T> read) =>
        keys.Where(k => Text(root, k) is not null).ToDictionary(k => k, k => read(Text(root, k)!), StringComparer.Ordinal);

    private static DateTimeOffset Time(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
}

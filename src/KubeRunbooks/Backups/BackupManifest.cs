using System.Text.Json;
using System.Text.Json.Serialization;

namespace KubeRunbooks.Backups;

/// <summary>
/// A backup set's <c>manifest.json</c>: where and when it was taken, by which tool version, with what result, and each
/// file with its size and SHA-256. Written last (temporary name, then rename): a set without one is unfinished.
/// </summary>
public sealed record BackupManifest
{
    /// <summary>The manifest's file name in a set.</summary>
    public const string FileName = "manifest.json";

    /// <summary>The set result once every file was written and checked.</summary>
    public const string Complete = "complete";

    /// <summary>The set result when a step failed (files written before it are kept for inspection, never restored).</summary>
    public const string Failed = "failed";

    /// <summary>The manifest format.</summary>
    public int FormatVersion { get; init; } = 1;

    /// <summary>What kind of backup (e.g. <c>postgres</c>); retention counts sets of one kind.</summary>
    public required string Kind { get; init; }

    /// <summary>The cluster profile name.</summary>
    public required string Cluster { get; init; }

    /// <summary>The tool's version.</summary>
    public required string ToolVersion { get; init; }

    /// <summary>When the set was begun.</summary>
    public required DateTimeOffset Started { get; init; }

    /// <summary>When the set was finished (or failed).</summary>
    public required DateTimeOffset Finished { get; init; }

    /// <summary><see cref="Complete"/> or <see cref="Failed"/>.</summary>
    public required string Result { get; init; }

    /// <summary>Why it failed, or null.</summary>
    public string? Error { get; init; }

    /// <summary>The files, in the order written.</summary>
    public required IReadOnlyList<BackupFileEntry> Files { get; init; }

    /// <summary>Whether the set is complete.</summary>
    [JsonIgnore]
    public bool IsComplete => Result == Complete;

    /// <summary>The JSON options of manifests (camelCase, enums as kebab-case text, indented).</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The manifest as JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Reads a set's manifest; null when it is missing or unreadable (such a set is never deleted or restored).</summary>
    /// <param name="setFolder">The set folder.</param>
    /// <param name="error">Why it could not be read.</param>
    public static BackupManifest? TryRead(string setFolder, out string error)
    {
        var path = Path.Combine(setFolder, FileName);
        error = "";
        if (!File.Exists(path))
        {
            error = $"{path} does not exist (an unfinished or foreign folder)";
            return null;
        }
        try
        {
            var manifest = JsonSerializer.Deserialize<BackupManifest>(File.ReadAllText(path), JsonOptions);
            if (manifest is null || manifest.Files is null || string.IsNullOrEmpty(manifest.Kind) || string.IsNullOrEmpty(manifest.Result))
            {
                error = $"{path} is not a backup manifest";
                return null;
            }
            return manifest;
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException or NotSupportedException)
        {
            error = $"{path} cannot be read: {e.Message}";
            return null;
        }
    }
}

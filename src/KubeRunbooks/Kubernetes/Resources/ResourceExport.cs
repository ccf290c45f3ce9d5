using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using KubeRunbooks.Errors;

namespace KubeRunbooks.Kubernetes.Resources;

/// <summary>
/// Export of any object as <c>NAME.json</c> without what the server owns (the <c>oc get -o json --export | jq
/// 'del(.metadata.ownerReferences, .metadata.selfLink)'</c> of a backup procedure, extended to every server-owned
/// field), and apply of such a file back into a namespace, also an empty one: created when absent, replaced when
/// present. Files are written 0600 under a temporary name and renamed (Secrets are in them). Object contents
/// never reach messages: only kinds and names.
/// </summary>
public sealed class ResourceExport
{
    /// <summary>The metadata fields removed on export (and ignored on apply): set by the server, wrong in another namespace or cluster.</summary>
    public static readonly IReadOnlyList<string> ServerOwnedMetadata =
        ["ownerReferences", "selfLink", "uid", "resourceVersion", "generation", "creationTimestamp", "managedFields", "namespace"];

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private readonly IKubernetes _client;

    /// <summary>Creates the export over a client.</summary>
    public ResourceExport(IKubernetes client) => _client = client;

    /// <summary>Reads an object and removes the server-owned fields and <c>status</c>; null when it does not exist.</summary>
    public async Task<JsonObject?> ExportAsync(ResourceType type, string ns, string name, CancellationToken cancellationToken)
    {
        JsonObject obj;
        try
        {
            using var response = await _client.CustomObjects.GetNamespacedCustomObjectWithHttpMessagesAsync<JsonObject>(
                type.Group, type.Version, ns, type.Plural, name, cancellationToken: cancellationToken).ConfigureAwait(false);
            obj = response.Body;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        return Clean(obj, type);
    }

    /// <summary>
    /// Exports an object to <c>FOLDER/NAME.json</c> (mode 0600, temporary name then rename); returns the path, or
    /// null when the object does not exist (nothing is written).
    /// </summary>
    public async Task<string?> ExportToFileAsync(ResourceType type, string ns, string name, string folder, CancellationToken cancellationToken)
    {
        var obj = await ExportAsync(type, ns, name, cancellationToken).ConfigureAwait(false);
        if (obj is null) return null;
        var path = Path.Combine(folder, name + ".json");
        Reporting.AtomicFile.WriteAllText(path, obj.ToJsonString(Indented) + "\n");
        return path;
    }

    /// <summary>The object without the server-owned metadata and <c>status</c>, apiVersion and kind set (a copy).</summary>
    public static JsonObject Clean(JsonObject obj, ResourceType type)
    {
        var copy = (JsonObject)obj.DeepClone();
        copy["apiVersion"] = type.ApiVersion;
        copy["kind"] = type.Kind;
        copy.Remove("status");
        if (copy["metadata"] is JsonObject metadata)
        {
            foreach (var field in ServerOwnedMetadata) metadata.Remove(field);
        }
        return copy;
    }

    /// <summary>Applies an exported file into <paramref name="ns"/> (see <see cref="ApplyAsync"/>).</summary>
    /// <exception cref="InvalidInputException">The file is not an exported object of <paramref name="type"/>.</exception>
    public async Task<ApplyOutcome> ApplyFileAsync(ResourceType type, string path, string ns, CancellationToken cancellationToken)
    {
        JsonObject obj;
        try
        {
            obj = JsonNode.Parse(await File.ReadAllTextAsync(path, Encoding.UTF8, cancellationToken).ConfigureAwait(false)) as JsonObject
                ?? throw new InvalidInputException($"{path} is not a JSON object.");
        }
        catch (JsonException e)
        {
            // The parser's message may quote the file's content (a Secret's): only the position is kept.
            throw new InvalidInputException($"{path} is not valid JSON (line {e.LineNumber + 1}).");
        }
        return await ApplyAsync(type, obj, ns, cancellationToken, path).ConfigureAwait(false);
    }

    /// <summary>
    /// Creates the object in <paramref name="ns"/>, or replaces it when it exists (its resourceVersion taken from the
    /// server; a concurrent change is retried on the new version).
    /// </summary>
    /// <exception cref="InvalidInputException">The object is not of <paramref name="type"/> or has no name.</exception>
    public async Task<ApplyOutcome> ApplyAsync(ResourceType type, JsonObject obj, string ns, CancellationToken cancellationToken, string? source = null)
    {
        var what = source ?? "the object";
        if ((string?)obj["kind"] != type.Kind || (string?)obj["apiVersion"] != type.ApiVersion)
            throw new InvalidInputException($"{what} is not a {type.ApiVersion} {type.Kind}.");
        if (obj["metadata"]?["name"] is not JsonValue nameValue || nameValue.GetValueKind() != JsonValueKind.String || string.IsNullOrEmpty((string?)nameValue))
            throw new InvalidInputException($"{what} has no metadata.name.");
        var name = (string)nameValue!;
        var body = Clean(obj, type);
        body["metadata"]!["namespace"] = ns;

        for (var attempt = 1; ; attempt++)
        {
            var existing = await ReadRawAsync(type, ns, name, cancellationToken).ConfigureAwait(false);
            try
            {
                if (existing is null)
                {
                    body["metadata"]!.AsObject().Remove("resourceVersion");
                    using var created = await _client.CustomObjects.CreateNamespacedCustomObjectWithHttpMessagesAsync<JsonObject>(
                        body, type.Group, type.Version, ns, type.Plural, cancellationToken: cancellationToken).ConfigureAwait(false);
                    return ApplyOutcome.Created;
                }
                body["metadata"]!["resourceVersion"] = (string?)existing["metadata"]?["resourceVersion"];
                using var replaced = await _client.CustomObjects.ReplaceNamespacedCustomObjectWithHttpMessagesAsync<JsonObject>(
                    body, type.Group, type.Version, ns, type.Plural, name, cancellationToken: cancellationToken).ConfigureAwait(false);
                return ApplyOutcome.Replaced;
            }
            catch (HttpOperationException e) when ((e.Response.StatusCode == HttpStatusCode.Conflict || (existing is not null && e.Response.StatusCode == HttpStatusCode.NotFound)) && attempt < 5)
            {
                // Created, changed or deleted by someone else in between: decide again from what is there now.
            }
        }
    }

    private async Task<JsonObject?> ReadRawAsync(ResourceType type, string ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _client.CustomObjects.GetNamespacedCustomObjectWithHttpMessagesAsync<JsonObject>(
                type.Group, type.Version, ns, type.Plural, name, cancellationToken: cancellationToken).ConfigureAwait(false);
            return response.Body;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}

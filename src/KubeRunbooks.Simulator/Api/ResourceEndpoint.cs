using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using KubeRunbooks.Simulator.Audit;
using KubeRunbooks.Simulator.Patching;
using KubeRunbooks.Simulator.Protobuf;
using KubeRunbooks.Simulator.Runtime;
using KubeRunbooks.Simulator.Store;
using KubeRunbooks.Simulator.Tables;
using Microsoft.AspNetCore.Http;

namespace KubeRunbooks.Simulator.Api;

/// <summary>
/// The REST verbs on resource URLs: list, get, create, update, patch, delete, and the status,
/// scale, log, exec and attach subresources. State-changing requests are written to the audit log.
/// </summary>
internal sealed class ResourceEndpoint(ObjectStore store, WatchEndpoint watch, IPodRuntime? runtime, AuditLog audit, Authorization.ServiceAccountTokens tokens)
{
    private const int MaxBodyBytes = 16 * 1024 * 1024;

    public async Task HandleAsync(HttpContext http, ResourcePath path)
    {
        var method = http.Request.Method;
        var entry = method is "GET" or "HEAD" && path.Subresource != "exec" ? null : NewAuditEntry(http, path);
        try
        {
            await DispatchAsync(http, path, entry);
        }
        catch (ApiError e)
        {
            if (!http.Response.HasStarted) await Responses.WriteErrorAsync(http, e);
        }
        catch (Exception e) when (e is not OperationCanceledException && !http.Response.HasStarted)
        {
            await Responses.WriteStatusAsync(http, 500, "InternalError", $"Internal error occurred: {e.GetType().Name}: {e.Message}");
        }
        finally
        {
            if (entry != null)
            {
                entry.Code = http.Response.StatusCode;
                audit.Write(entry);
            }
        }
    }

    private async Task DispatchAsync(HttpContext http, ResourcePath path, AuditEntry? entry)
    {
        var method = http.Request.Method;
        switch (path.Subresource)
        {
            case null when path.Name == null:
                if (method == "GET")
                {
                    if (IsTrue(http.Request.Query["watch"])) await watch.HandleAsync(http, path);
                    else await ListAsync(http, path);
                }
                else if (method == "POST") await CreateAsync(http, path, entry!);
                else if (method == "DELETE") await DeleteCollectionAsync(http, path);
                else throw MethodNotAllowed();
                return;
            case null:
                switch (method)
                {
                    case "GET":
                        if (IsTrue(http.Request.Query["watch"])) await watch.HandleAsync(http, path);
                        else await WriteObjectOrTableAsync(http, path.Kind, store.Get(path.Kind, path.Namespace, path.Name!));
                        return;
                    case "PUT": await UpdateAsync(http, path, entry!, statusOnly: false); return;
                    case "PATCH": await PatchAsync(http, path, entry!, statusOnly: false); return;
                    case "DELETE": await DeleteAsync(http, path, entry!); return;
                    default: throw MethodNotAllowed();
                }
            case "status" when path.Kind.HasStatus:
                switch (method)
                {
                    case "GET": await Responses.WriteJsonAsync(http, 200, store.Get(path.Kind, path.Namespace, path.Name!)); return;
                    case "PUT": await UpdateAsync(http, path, entry!, statusOnly: true); return;
                    case "PATCH": await PatchAsync(http, path, entry!, statusOnly: true); return;
                    default: throw MethodNotAllowed();
                }
            case "scale" when path.Kind.HasScale:
                await ScaleAsync(http, path, entry);
                return;
            case "token" when path.Kind == ResourceCatalog.ServiceAccounts && method == "POST":
                store.Get(path.Kind, path.Namespace, path.Name!);
                await Responses.WriteJsonAsync(http, 201, TokenRequestResponse.For(path.Namespace!, path.Name!, tokens.Issue(path.Namespace!, path.Name!)));
                return;
            case "instantiate" when path.Kind == ResourceCatalog.DeploymentConfigs && method == "POST":
                await Responses.WriteJsonAsync(http, 201, OpenShift.DeploymentConfigInstantiate.Apply(store, path.Namespace!, path.Name!, await ReadObjectAsync(http, path.Kind, entry!)));
                return;
            case "log" when path.Kind == ResourceCatalog.Pods && method == "GET":
                store.Get(path.Kind, path.Namespace, path.Name!);
                if (runtime == null) throw NoRuntime();
                await runtime.HandleLogsAsync(http, path.Namespace!, path.Name!, LogRequestFrom(http.Request.Query));
                return;
            case "exec" when path.Kind == ResourceCatalog.Pods && method is "GET" or "POST":
                store.Get(path.Kind, path.Namespace, path.Name!);
                if (runtime == null) throw NoRuntime();
                await runtime.HandleExecAsync(http, path.Namespace!, path.Name!, ExecRequestFrom(http.Request.Query));
                return;
            case "attach" when path.Kind == ResourceCatalog.Pods && method is "GET" or "POST":
                store.Get(path.Kind, path.Namespace, path.Name!);
                if (runtime == null) throw NoRuntime();
                await runtime.HandleAttachAsync(http, path.Namespace!, path.Name!, ExecRequestFrom(http.Request.Query));
                return;
            case "portforward" when path.Kind == ResourceCatalog.Pods && method is "GET" or "POST":
                store.Get(path.Kind, path.Namespace, path.Name!);
                if (runtime == null) throw NoRuntime();
                await runtime.HandlePortForwardAsync(http, path.Namespace!, path.Name!);
                return;
            default:
                throw new ApiError(404, "NotFound", "the server could not find the requested resource");
        }
    }

    private async Task ListAsync(HttpContext http, ResourcePath path)
    {
        var query = http.Request.Query;
        var list = store.List(path.Kind, path.Namespace, LabelSelector.Parse(query["labelSelector"]), FieldSelector.Parse(query["fieldSelector"]));
        IEnumerable<JsonObject> items = list.Items;
        var listVersion = list.ResourceVersion;
        var continueToken = (string?)query["continue"];
        if (!string.IsNullOrEmpty(continueToken))
        {
            var (version, after) = ContinueToken.Read(continueToken);
            items = items.Where(o => string.CompareOrdinal(SortKey(o), after) > 0);
            listVersion = version;
        }
        var remaining = items.ToList();
        var metadata = new JsonObject { ["resourceVersion"] = listVersion.ToString(CultureInfo.InvariantCulture) };
        if (long.TryParse(query["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit > 0 && remaining.Count > limit)
        {
            var page = remaining.Take((int)limit).ToList();
            metadata["continue"] = ContinueToken.Write(listVersion, SortKey(page[^1]));
            metadata["remainingItemCount"] = remaining.Count - page.Count;
            remaining = page;
        }
        if (TableDocuments.Wanted(http.Request.Headers.Accept))
        {
            var table = TableDocuments.Build(path.Kind, remaining, listVersion, (string?)metadata["continue"], query["includeObject"]);
            await Responses.WriteJsonAsync(http, 200, table, TableDocuments.ContentType);
            return;
        }
        var array = new JsonArray();
        foreach (var item in remaining)
        {
            // A real server leaves kind and apiVersion off list items.
            item.Remove("kind");
            item.Remove("apiVersion");
            array.Add(item);
        }
        await Responses.WriteJsonAsync(http, 200, new JsonObject
        {
            ["kind"] = path.Kind.ListKind,
            ["apiVersion"] = path.Kind.ApiVersion,
            ["metadata"] = metadata,
            ["items"] = array,
        });
    }

    private static Task WriteObjectOrTableAsync(HttpContext http, ResourceKind kind, JsonObject obj)
    {
        if (!TableDocuments.Wanted(http.Request.Headers.Accept)) return Responses.WriteJsonAsync(http, 200, obj);
        var table = TableDocuments.Build(kind, [obj], ObjectStore.ParseVersion(obj), null, http.Request.Query["includeObject"]);
        return Responses.WriteJsonAsync(http, 200, table, TableDocuments.ContentType);
    }

    private async Task CreateAsync(HttpContext http, ResourcePath path, AuditEntry entry)
    {
        var body = await ReadObjectAsync(http, path.Kind, entry);
        CheckKind(path.Kind, body);
        var bodyNs = (string?)body["metadata"]?["namespace"];
        if (path.Kind.Namespaced && bodyNs != null && path.Namespace != null && bodyNs != path.Namespace)
        {
            throw ApiError.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }
        Validate(http, path.Kind, body, $"{path.Kind.Kind} in version \"{path.Kind.Version}\" cannot be handled as a {path.Kind.Kind}: ");
        // A restore that kept server-owned metadata fails here as on a real cluster.
        if (!string.IsNullOrEmpty((string?)body["metadata"]?["resourceVersion"])) throw ApiError.ResourceVersionSetOnCreate();
        var created = store.Create(path.Kind, path.Namespace, body, DryRun(http));
        entry.Name = (string?)created["metadata"]?["name"];
        await Responses.WriteJsonAsync(http, 201, created);
    }

    private async Task UpdateAsync(HttpContext http, ResourcePath path, AuditEntry entry, bool statusOnly)
    {
        var body = await ReadObjectAsync(http, path.Kind, entry);
        CheckKind(path.Kind, body);
        var bodyName = (string?)body["metadata"]?["name"];
        if (bodyName != path.Name)
        {
            throw ApiError.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({path.Name})");
        }
        Validate(http, path.Kind, body, $"{path.Kind.Kind} in version \"{path.Kind.Version}\" cannot be handled as a {path.Kind.Kind}: ");
        var updated = statusOnly ? store.UpdateStatus(path.Kind, path.Namespace, body, DryRun(http)) : store.Update(path.Kind, path.Namespace, body, DryRun(http));
        await Responses.WriteJsonAsync(http, 200, updated);
    }

    private async Task PatchAsync(HttpContext http, ResourcePath path, AuditEntry entry, bool statusOnly)
    {
        var patchKind = PatchApplier.KindOf(http.Request.ContentType);
        var text = await ReadBodyAsync(http);
        var patch = PatchApplier.Parse(patchKind, text);
        entry.RequestBody = patch?.DeepClone();
        var query = http.Request.Query;
        if (patchKind == PatchKind.Apply)
        {
            if (string.IsNullOrEmpty(query["fieldManager"]))
            {
                throw new ApiError(422, "Invalid", "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch");
            }
            if (patch is not JsonObject applied) throw ApiError.BadRequest("error decoding YAML: the applied configuration is not an object");
            CheckKind(path.Kind, applied);
            if (!statusOnly && store.TryGet(path.Kind, path.Namespace, path.Name!) == null)
            {
                // Server-side apply creates what is missing.
                var body = (JsonObject)applied.DeepClone();
                var meta = body["metadata"] as JsonObject ?? new JsonObject();
                meta["name"] = path.Name;
                body["metadata"] = meta;
                Validate(http, path.Kind, body, "");
                var created = store.Create(path.Kind, path.Namespace, body, DryRun(http));
                await Responses.WriteJsonAsync(http, 201, created);
                return;
            }
        }
        var patched = store.Mutate(path.Kind, path.Namespace, path.Name!, current =>
        {
            var result = PatchApplier.Apply(patchKind, current, patch);
            Validate(http, path.Kind, result, "");
            return result;
        }, statusOnly, DryRun(http));
        await Responses.WriteJsonAsync(http, 200, patched);
    }

    private async Task DeleteAsync(HttpContext http, ResourcePath path, AuditEntry entry)
    {
        var policy = (string?)http.Request.Query["propagationPolicy"];
        var dryRun = DryRun(http);
        var text = await ReadBodyAsync(http);
        if (!string.IsNullOrWhiteSpace(text))
        {
            var options = YamlJson.Parse(text);
            entry.RequestBody = options?.DeepClone();
            policy = (string?)options?["propagationPolicy"] ?? policy;
            // kubectl delete --dry-run=server puts dryRun in the DeleteOptions body.
            dryRun |= options?["dryRun"] is JsonArray modes && modes.Any(m => (string?)m == "All");
            var uid = (string?)options?["preconditions"]?["uid"];
            var version = (string?)options?["preconditions"]?["resourceVersion"];
            var current = store.Get(path.Kind, path.Namespace, path.Name!);
            if ((uid != null && uid != (string?)current["metadata"]?["uid"])
                || (version != null && version != (string?)current["metadata"]?["resourceVersion"]))
            {
                throw ApiError.Conflict(path.Kind, path.Name!);
            }
        }
        var deleted = store.Delete(path.Kind, path.Namespace, path.Name!, orphan: policy == "Orphan", dryRun: dryRun);
        if (path.Kind == ResourceCatalog.Pods || path.Kind == ResourceCatalog.Namespaces)
        {
            await Responses.WriteJsonAsync(http, 200, deleted);
            return;
        }
        await Responses.WriteJsonAsync(http, 200, new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Success",
            ["details"] = new JsonObject
            {
                ["name"] = path.Name,
                ["group"] = path.Kind.Group,
                ["kind"] = path.Kind.Plural,
                ["uid"] = deleted["metadata"]?["uid"]?.DeepClone(),
            },
        });
    }

    private async Task DeleteCollectionAsync(HttpContext http, ResourcePath path)
    {
        var query = http.Request.Query;
        var list = store.List(path.Kind, path.Namespace, LabelSelector.Parse(query["labelSelector"]), FieldSelector.Parse(query["fieldSelector"]));
        var deleted = new JsonArray();
        foreach (var item in list.Items)
        {
            var name = (string)item["metadata"]!["name"]!;
            try
            {
                deleted.Add(store.Delete(path.Kind, (string?)item["metadata"]?["namespace"], name, dryRun: DryRun(http)));
            }
            catch (ApiError e) when (e.Code == 404)
            {
                // Already collected with its owner during this same request.
            }
        }
        await Responses.WriteJsonAsync(http, 200, new JsonObject
        {
            ["kind"] = path.Kind.ListKind,
            ["apiVersion"] = path.Kind.ApiVersion,
            ["metadata"] = new JsonObject { ["resourceVersion"] = store.CurrentVersion.ToString(CultureInfo.InvariantCulture) },
            ["items"] = deleted,
        });
    }

    private async Task ScaleAsync(HttpContext http, ResourcePath path, AuditEntry? entry)
    {
        var name = path.Name!;
        switch (http.Request.Method)
        {
            case "GET":
                await Responses.WriteJsonAsync(http, 200, ScaleDocuments.From(store.Get(path.Kind, path.Namespace, name)));
                return;
            case "PUT":
            {
                var scale = await ReadObjectAsync(http, path.Kind, entry!);
                var replicas = ScaleDocuments.Replicas(path.Kind, name, scale);
                var precondition = (string?)scale["metadata"]?["resourceVersion"];
                var updated = store.Mutate(path.Kind, path.Namespace, name, current =>
                {
                    if (!string.IsNullOrEmpty(precondition)) current["metadata"]!["resourceVersion"] = precondition;
                    SetReplicas(current, replicas);
                    return current;
                }, dryRun: DryRun(http));
                await Responses.WriteJsonAsync(http, 200, ScaleDocuments.From(updated));
                return;
            }
            case "PATCH":
            {
                var patchKind = PatchApplier.KindOf(http.Request.ContentType);
                var patch = PatchApplier.Parse(patchKind, await ReadBodyAsync(http));
                entry!.RequestBody = patch?.DeepClone();
                var updated = store.Mutate(path.Kind, path.Namespace, name, current =>
                {
                    var scale = PatchApplier.Apply(patchKind, ScaleDocuments.From(current), patch);
                    current["metadata"]!["resourceVersion"] = scale["metadata"]?["resourceVersion"]?.DeepClone();
                    SetReplicas(current, ScaleDocuments.Replicas(path.Kind, name, scale));
                    return current;
                }, dryRun: DryRun(http));
                await Responses.WriteJsonAsync(http, 200, ScaleDocuments.From(updated));
                return;
            }
            default:
                throw MethodNotAllowed();
        }
    }

    /// <summary>True for <c>dryRun=All</c>; any other value is a 400 as on a real server.</summary>
    private static bool DryRun(HttpContext http)
    {
        var values = http.Request.Query["dryRun"];
        if (values.Count == 0) return false;
        foreach (var value in values)
        {
            if (value != "All") throw new ApiError(400, "BadRequest", $"dryRun: Unsupported value: \"{value}\": supported values: \"All\"");
        }
        return true;
    }

    private static void SetReplicas(JsonObject workload, long replicas)
    {
        if (workload["spec"] is not JsonObject spec)
        {
            spec = new JsonObject();
            workload["spec"] = spec;
        }
        spec["replicas"] = replicas;
    }

    private static void Validate(HttpContext http, ResourceKind kind, JsonObject obj, string strictPrefix)
    {
        var warnings = new List<string>();
        FieldValidation.Enforce(obj, FieldValidation.ModelType(kind), http.Request.Query["fieldValidation"], strictPrefix, warnings);
        foreach (var warning in warnings) http.Response.Headers.Append("Warning", $"299 - \"{warning.Replace("\"", "\\\"")}\"");
    }

    private static void CheckKind(ResourceKind kind, JsonObject body)
    {
        var bodyKind = (string?)body["kind"];
        var bodyVersion = (string?)body["apiVersion"];
        if (bodyKind != null && bodyKind != kind.Kind)
        {
            throw ApiError.BadRequest($"the kind in the data ({bodyKind}) does not match the expected kind ({kind.Kind})");
        }
        if (bodyVersion != null && bodyVersion != kind.ApiVersion && bodyVersion != "autoscaling/v1")
        {
            throw ApiError.BadRequest($"the API version in the data ({bodyVersion}) does not match the expected API version ({kind.ApiVersion})");
        }
    }

    private static async Task<JsonObject> ReadObjectAsync(HttpContext http, ResourceKind kind, AuditEntry entry)
    {
        var mediaType = http.Request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        if (mediaType == "application/vnd.kubernetes.protobuf" && ProtobufDecoder.Supports(kind))
        {
            // client-go's typed clients (kubectl create job --from) send protobuf.
            var decoded = ProtobufDecoder.Decode(kind, await ReadBodyBytesAsync(http));
            entry.RequestBody = decoded.DeepClone();
            return decoded;
        }
        if (mediaType is not (null or "" or "application/json" or "application/yaml" or "*/*"))
        {
            throw new ApiError(415, "UnsupportedMediaType",
                "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml");
        }
        var text = await ReadBodyAsync(http);
        var node = mediaType == "application/yaml" ? YamlJson.Parse(text) : ParseJson(kind, text);
        entry.RequestBody = node?.DeepClone();
        return node as JsonObject ?? throw ApiError.BadRequest($"{kind.Kind} in version \"{kind.Version}\" cannot be handled as a {kind.Kind}: the body is not an object");
    }

    private static JsonNode? ParseJson(ResourceKind kind, string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw ApiError.BadRequest($"{kind.Kind} in version \"{kind.Version}\" cannot be handled as a {kind.Kind}: {e.Message}");
        }
    }

    private static async Task<string> ReadBodyAsync(HttpContext http) => Encoding.UTF8.GetString(await ReadBodyBytesAsync(http));

    private static async Task<byte[]> ReadBodyBytesAsync(HttpContext http)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, http.RequestAborted)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes) throw new ApiError(413, "RequestEntityTooLarge", "the request is too large");
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static AuditEntry NewAuditEntry(HttpContext http, ResourcePath path) => new()
    {
        Verb = http.Request.Method switch
        {
            "POST" => "create",
            "PUT" => "update",
            "PATCH" => "patch",
            "DELETE" => path.Name == null ? "deletecollection" : "delete",
            _ => "get",
        },
        Resource = path.Kind.Plural,
        ApiGroup = path.Kind.Group,
        ApiVersion = path.Kind.Version,
        Subresource = path.Subresource,
        Namespace = path.Namespace,
        Name = path.Name,
        RequestUri = http.Request.Path + http.Request.QueryString,
        UserAgent = http.Request.Headers.UserAgent,
    };

    private static LogRequest LogRequestFrom(IQueryCollection query) => new(
        query["container"],
        IsTrue(query["follow"]),
        long.TryParse(query["tailLines"], NumberStyles.None, CultureInfo.InvariantCulture, out var tail) ? tail : null,
        IsTrue(query["previous"]),
        IsTrue(query["timestamps"]),
        long.TryParse(query["limitBytes"], NumberStyles.None, CultureInfo.InvariantCulture, out var limit) ? limit : null);

    private static ExecRequest ExecRequestFrom(IQueryCollection query) => new(
        query["container"],
        query["command"].Where(c => c != null).Select(c => c!).ToList(),
        IsTrue(query["stdin"]),
        IsTrue(query["stdout"]),
        IsTrue(query["stderr"]),
        IsTrue(query["tty"]));

    private static string SortKey(JsonObject obj) =>
        (string?)obj["metadata"]?["namespace"] is { } ns ? $"{ns}/{obj["metadata"]?["name"]}" : (string?)obj["metadata"]?["name"] ?? "";

    private static bool IsTrue(string? value) => value is "true" or "1" or "True";

    private static ApiError MethodNotAllowed() =>
        new(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");

    private static ApiError NoRuntime() =>
        new(503, "ServiceUnavailable", "the simulated cluster runs without a container runtime: pod logs and exec are not available");
}

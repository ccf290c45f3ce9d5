using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using KubeRunbooks.Simulator.Store;

namespace KubeRunbooks.Simulator.Discovery;

/// <summary>
/// The minimal OpenAPI v3 that makes kubectl validate on the server: an index naming one
/// document per group version, each holding a PATCH operation per kind with its
/// <c>x-kubernetes-group-version-kind</c> and a <c>fieldValidation</c> query parameter.
/// kubectl then sends <c>fieldValidation=Strict</c> instead of validating against schemas.
/// </summary>
internal static class OpenApiDocuments
{
    private static readonly Lazy<Dictionary<string, string>> Documents = new(Build);

    /// <summary>The /openapi/v3 index.</summary>
    public static JsonObject Index()
    {
        var paths = new JsonObject();
        foreach (var (path, text) in Documents.Value)
        {
            paths[path] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{path}?hash={Hash(text)}" };
        }
        return new JsonObject { ["paths"] = paths };
    }

    /// <summary>The document for a group version path (<c>api/v1</c>, <c>apis/apps/v1</c>), or null.</summary>
    public static string? Document(string path) => Documents.Value.GetValueOrDefault(path.Trim('/'));

    private static Dictionary<string, string> Build()
    {
        var documents = new Dictionary<string, string>();
        foreach (var group in ResourceCatalog.Groups)
        {
            var prefix = group.Length == 0 ? "api/v1" : $"apis/{group}/v1";
            var paths = new JsonObject();
            foreach (var kind in ResourceCatalog.All.Where(k => k.Group == group))
            {
                var url = kind.Namespaced ? $"/{prefix}/namespaces/{{namespace}}/{kind.Plural}/{{name}}" : $"/{prefix}/{kind.Plural}/{{name}}";
                paths[url] = new JsonObject
                {
                    ["patch"] = new JsonObject
                    {
                        ["operationId"] = $"patch{kind.Kind}",
                        ["parameters"] = new JsonArray(
                            new JsonObject { ["name"] = "fieldValidation", ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string", ["uniqueItems"] = true } },
                            new JsonObject { ["name"] = "fieldManager", ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string", ["uniqueItems"] = true } }),
                        ["responses"] = new JsonObject { ["200"] = new JsonObject { ["description"] = "OK" } },
                        ["x-kubernetes-action"] = "patch",
                        ["x-kubernetes-group-version-kind"] = new JsonObject { ["group"] = kind.Group, ["kind"] = kind.Kind, ["version"] = kind.Version },
                    },
                };
            }
            var document = new JsonObject
            {
                ["openapi"] = "3.0.0",
                ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = VersionInfo.GitVersion },
                ["paths"] = paths,
                ["components"] = new JsonObject { ["schemas"] = new JsonObject() },
            };
            documents[prefix] = document.ToJsonString();
        }
        return documents;
    }

    private static string Hash(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32];
}

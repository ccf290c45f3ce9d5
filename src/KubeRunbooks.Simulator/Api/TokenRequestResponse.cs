using System.Text.Json.Nodes;
using KubeRunbooks.Simulator.Store;

namespace KubeRunbooks.Simulator.Api;

/// <summary>
/// The answer to POST <c>…/serviceaccounts/NAME/token</c> (<c>kubectl create token NAME</c>): a TokenRequest whose
/// status carries the token, valid for an hour as the real server's default.
/// </summary>
internal static class TokenRequestResponse
{
    public static JsonObject For(string ns, string serviceAccount, string token) => new()
    {
        ["kind"] = "TokenRequest",
        ["apiVersion"] = "authentication.k8s.io/v1",
        ["metadata"] = new JsonObject { ["name"] = serviceAccount, ["namespace"] = ns, ["creationTimestamp"] = ObjectStore.Timestamp(DateTimeOffset.UtcNow) },
        ["spec"] = new JsonObject { ["audiences"] = new JsonArray("https://kubernetes.default.svc.cluster.local"), ["expirationSeconds"] = 3600, ["boundObjectRef"] = null },
        ["status"] = new JsonObject { ["token"] = token, ["expirationTimestamp"] = ObjectStore.Timestamp(DateTimeOffset.UtcNow.AddHours(1)) },
    };
}

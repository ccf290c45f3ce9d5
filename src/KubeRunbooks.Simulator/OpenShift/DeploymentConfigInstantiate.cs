using System.Text.Json.Nodes;
using KubeRunbooks.Simulator.Controllers;
using KubeRunbooks.Simulator.Store;

namespace KubeRunbooks.Simulator.OpenShift;

/// <summary>
/// <c>POST .../deploymentconfigs/NAME/instantiate</c> with a DeploymentRequest (what <c>oc rollout latest dc/NAME</c>
/// sends): bumps <c>status.latestVersion</c>, which makes the controller roll out the current template. Answers
/// the DeploymentConfig, 201.
/// </summary>
public static class DeploymentConfigInstantiate
{
    /// <summary>Applies the request to the stored DeploymentConfig and returns it.</summary>
    public static JsonObject Apply(ObjectStore store, string ns, string name, JsonObject? request)
    {
        if (request is not null && (string?)request["kind"] is { } kind && kind != "DeploymentRequest")
            throw ApiError.BadRequest($"instantiate takes a DeploymentRequest, not a {kind}");
        if (request?["name"] is JsonValue requested && (string?)requested is { Length: > 0 } requestedName && requestedName != name)
            throw ApiError.BadRequest($"the DeploymentRequest names {requestedName}, not {name}");
        return store.Mutate(ResourceCatalog.DeploymentConfigs, ns, name, current =>
        {
            var status = current["status"] as JsonObject ?? new JsonObject();
            current["status"] = status;
            status["latestVersion"] = (JsonNumbers.AsLong(status["latestVersion"]) ?? 0) + 1;
            // The new version runs the current template: the ConfigChange trigger must not start another.
            status[DeploymentConfigController.TemplateHashField] = Workloads.TemplateHash(current["spec"]?["template"]);
            status["details"] = new JsonObject { ["message"] = "manual change", ["causes"] = new JsonArray(new JsonObject { ["type"] = "Manual" }) };
            current["metadata"]!.AsObject().Remove("resourceVersion");
            return current;
        }, statusOnly: true);
    }
}

using System.Text;
using System.Text.Json.Nodes;
using KubeRunbooks.Simulator.Api;
using KubeRunbooks.Simulator.Protobuf;
using KubeRunbooks.Simulator.Store;
using Microsoft.AspNetCore.Http;

namespace KubeRunbooks.Simulator.Authorization;

/// <summary>
/// POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews (what <c>kubectl auth can-i</c>
/// sends, as protobuf or JSON): the spec's attributes go to the <see cref="IAuthorizer"/> and the
/// review comes back with <c>status.allowed</c> and <c>status.reason</c>. Nothing is stored.
/// </summary>
internal sealed class AccessReviewEndpoint(IAuthorizer authorizer)
{
    /// <summary>The URL path served.</summary>
    public const string Path = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews";

    // Not a stored kind: described only so that the protobuf decoder and error messages can name it.
    private static readonly ResourceKind Kind = new(
        "authorization.k8s.io", "v1", "SelfSubjectAccessReview", "selfsubjectaccessreviews", "selfsubjectaccessreview", false, [], false, false, false);

    public async Task HandleAsync(HttpContext http)
    {
        if (http.Request.Method != "POST")
        {
            await Responses.WriteStatusAsync(http, 405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
            return;
        }
        JsonObject review;
        try
        {
            review = await ReadAsync(http);
        }
        catch (ApiError e)
        {
            await Responses.WriteErrorAsync(http, e);
            return;
        }
        var spec = review["spec"] as JsonObject;
        var resource = spec?["resourceAttributes"] as JsonObject;
        var nonResource = spec?["nonResourceAttributes"] as JsonObject;
        if ((resource == null) == (nonResource == null))
        {
            await Responses.WriteErrorAsync(http, new ApiError(422, "Invalid",
                "SelfSubjectAccessReview.authorization.k8s.io \"\" is invalid: spec.resourceAttributes: Invalid value: \"null\": exactly one of nonResourceAttributes or resourceAttributes must be specified"));
            return;
        }
        var attributes = resource != null
            ? new AccessAttributes(Text(resource, "verb") ?? "", Text(resource, "group") ?? "", Text(resource, "resource") ?? "",
                Text(resource, "subresource"), Text(resource, "namespace"), Text(resource, "name"), null)
            : new AccessAttributes(Text(nonResource!, "verb") ?? "", null, null, null, null, null, Text(nonResource!, "path") ?? "");
        // The review answers for whoever asks (a service account's token asks about itself).
        var decision = authorizer.Decide(attributes with { User = http.Items[RequestUser.ItemKey] as RequestUser });
        var metadata = review["metadata"] as JsonObject ?? new JsonObject();
        metadata["creationTimestamp"] = null;
        var status = new JsonObject { ["allowed"] = decision.Allowed };
        if (decision.Reason.Length > 0) status["reason"] = decision.Reason;
        await Responses.WriteJsonAsync(http, 201, new JsonObject
        {
            ["kind"] = Kind.Kind,
            ["apiVersion"] = Kind.ApiVersion,
            ["metadata"] = metadata.DeepClone(),
            ["spec"] = spec?.DeepClone(),
            ["status"] = status,
        });
    }

    private static async Task<JsonObject> ReadAsync(HttpContext http)
    {
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
        var body = buffer.ToArray();
        var mediaType = http.Request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        if (mediaType == "application/vnd.kubernetes.protobuf") return ProtobufDecoder.Decode(Kind, body);
        try
        {
            return JsonNode.Parse(Encoding.UTF8.GetString(body)) as JsonObject ?? throw ApiError.BadRequest("the body is not an object");
        }
        catch (System.Text.Json.JsonException e)
        {
            throw ApiError.BadRequest($"SelfSubjectAccessReview in version \"v1\" cannot be handled as a SelfSubjectAccessReview: {e.Message}");
        }
    }

    private static string? Text(JsonObject obj, string field) => (string?)obj[field] is { Length: > 0 } value ? value : null;
}

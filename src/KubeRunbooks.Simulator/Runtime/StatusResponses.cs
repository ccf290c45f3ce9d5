using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace KubeRunbooks.Simulator.Runtime;

/// <summary>Kubernetes Status objects as the runtime answers them (HTTP errors and exec results).</summary>
internal static class StatusResponses
{
    /// <summary>An HTTP error carried by a Status body.</summary>
    public sealed record Error(int Code, string Reason, string Message);

    // Quotes stay \" as the API server writes them, not \u0022.
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>400 BadRequest.</summary>
    public static Error BadRequest(string message) => new(400, "BadRequest", message);

    /// <summary>404 NotFound for a pod, worded as the API server words it.</summary>
    public static Error PodNotFound(string podName) => new(404, "NotFound", $"pods \"{podName}\" not found");

    /// <summary>Writes the error as the response (headers not yet sent).</summary>
    public static Task WriteAsync(HttpContext http, Error error)
    {
        http.Response.StatusCode = error.Code;
        http.Response.ContentType = "application/json";
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = error.Message,
            ["reason"] = error.Reason,
            ["code"] = error.Code,
        };
        return http.Response.WriteAsync(status.ToJsonString(Json), http.RequestAborted);
    }

    // KubernetesClient 21's V1Status converter reads but cannot write (its Write throws): build the JSON here.

    /// <summary>The exec result sent on channel 3: Success, or Failure with reason NonZeroExitCode and the code as a cause.</summary>
    public static string ExecResult(int exitCode)
    {
        if (exitCode == 0) return new JsonObject { ["metadata"] = new JsonObject(), ["status"] = "Success" }.ToJsonString(Json);
        return new JsonObject
        {
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = $"command terminated with non-zero exit code: exit status {exitCode}",
            ["reason"] = "NonZeroExitCode",
            ["details"] = new JsonObject
            {
                ["causes"] = new JsonArray(new JsonObject
                {
                    ["reason"] = "ExitCode",
                    ["message"] = exitCode.ToString(System.Globalization.CultureInfo.InvariantCulture),
                }),
            },
        }.ToJsonString(Json);
    }

    /// <summary>The exec result when the command could not be started at all.</summary>
    public static string ExecStartFailure(string message) => new JsonObject
    {
        ["metadata"] = new JsonObject(),
        ["status"] = "Failure",
        ["message"] = message,
        ["reason"] = "InternalError",
        ["code"] = 500,
    }.ToJsonString(Json);
}

using System.Text.Json.Nodes;
using KubeRunbooks.Simulator.Store;
using Microsoft.AspNetCore.Http;

namespace KubeRunbooks.Simulator.Api;

/// <summary>Writes JSON objects and Status errors the way the API server does.</summary>
internal static class Responses
{
    /// <summary>Writes a JSON body with the status code.</summary>
    public static async Task WriteJsonAsync(HttpContext http, int code, JsonNode body, string contentType = "application/json")
    {
        http.Response.StatusCode = code;
        http.Response.ContentType = contentType;
        await http.Response.WriteAsync(WireJson.Write(body), http.RequestAborted);
    }

    /// <summary>Writes an <see cref="ApiError"/> as a Status object.</summary>
    public static Task WriteErrorAsync(HttpContext http, ApiError error) => WriteJsonAsync(http, error.Code, error.ToStatus());

    /// <summary>Writes a Status for a code, reason and message.</summary>
    public static Task WriteStatusAsync(HttpContext http, int code, string reason, string message) =>
        WriteErrorAsync(http, new ApiError(code, reason, message));
}

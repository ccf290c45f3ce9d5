using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Http;

namespace KubeRunbooks.Simulator.Runtime;

/// <summary>Kubernetes Status objects as the runtime answers them (HTTP errors and exec results).</summary>
internal static class StatusResponses
{
    /// <summary>An HTTP error carried by a Status body.</summary>
    public sealed record Error(int Code, string Reason, string Message);

    /// <summary>400 BadRequest.</summary>
    public static Error BadRequest(string message) => new(400, "BadRequest", message);

    /// <summary>404 NotFound for a pod, worded as the API server words it.</summary>
    public static Error PodNotFound(string podName) => new(404, "NotFound", $"pods \"{podName}\" not found");

    /// <summary>Writes the error as the response (headers not yet sent).</summary>
    public static Task WriteAsync(HttpContext http, Error error)
    {
        http.Response.StatusCode = error.Code;
        http.Response.ContentType = "application/json";
        var status = new V1Status
        {
            Kind = "Status",
            ApiVersion = "v1",
            Metadata = new V1ListMeta(),
            Status = "Failure",
            Message = error.Message,
            Reason = error.Reason,
            Code = error.Code,
        };
        return http.Response.WriteAsync(KubernetesJson.Serialize(status), http.RequestAborted);
    }

    /// <summary>The exec result sent on channel 3: Success, or Failure with reason NonZeroExitCode and the code as a cause.</summary>
    public static string ExecResult(int exitCode)
    {
        if (exitCode == 0) return KubernetesJson.Serialize(new V1Status { Metadata = new V1ListMeta(), Status = "Success" });
        return KubernetesJson.Serialize(new V1Status
        {
            Metadata = new V1ListMeta(),
            Status = "Failure",
            Message = $"command terminated with non-zero exit code: exit status {exitCode}",
            Reason = "NonZeroExitCode",
            Details = new V1StatusDetails
            {
                Causes = [new V1StatusCause { Reason = "ExitCode", Message = exitCode.ToString(System.Globalization.CultureInfo.InvariantCulture) }],
            },
        });
    }

    /// <summary>The exec result when the command could not be started at all.</summary>
    public static string ExecStartFailure(string message) => KubernetesJson.Serialize(new V1Status
    {
        Metadata = new V1ListMeta(),
        Status = "Failure",
        Message = message,
        Reason = "InternalError",
        Code = 500,
    });
}

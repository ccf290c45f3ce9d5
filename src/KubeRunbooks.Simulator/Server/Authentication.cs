using System.Security.Cryptography;
using System.Text;
using KubeRunbooks.Simulator.Api;
using Microsoft.AspNetCore.Http;

namespace KubeRunbooks.Simulator.Server;

/// <summary>Requires the cluster's bearer token on every request but the public health and version endpoints (401 Status otherwise).</summary>
internal sealed class Authentication(string token)
{
    private static readonly HashSet<string> Public = ["/version", "/healthz", "/livez", "/readyz"];
    private readonly byte[] _expected = Encoding.UTF8.GetBytes("Bearer " + token);

    public async Task InvokeAsync(HttpContext http, Func<Task> next)
    {
        if (Public.Contains(http.Request.Path.Value?.TrimEnd('/') ?? "") || IsAuthorized(http.Request.Headers.Authorization))
        {
            await next();
            return;
        }
        await Responses.WriteStatusAsync(http, 401, "Unauthorized", "Unauthorized");
    }

    private bool IsAuthorized(string? header) =>
        header != null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header), _expected);
}

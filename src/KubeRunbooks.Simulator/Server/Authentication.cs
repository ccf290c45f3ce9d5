using System.Security.Cryptography;
using System.Text;
using KubeRunbooks.Simulator.Api;
using KubeRunbooks.Simulator.Authorization;
using Microsoft.AspNetCore.Http;

namespace KubeRunbooks.Simulator.Server;

/// <summary>
/// Requires a bearer token on every request but the public health and version endpoints (401 Status otherwise): the
/// cluster's own token (its administrator) or a service account's token from the TokenRequest API. The user found is
/// kept in the request's items (<see cref="RequestUser.ItemKey"/>) for authorization.
/// </summary>
internal sealed class Authentication(string token, ServiceAccountTokens serviceAccounts)
{
    private static readonly HashSet<string> Public = ["/version", "/healthz", "/livez", "/readyz"];
    private readonly byte[] _expected = Encoding.UTF8.GetBytes("Bearer " + token);

    public async Task InvokeAsync(HttpContext http, Func<Task> next)
    {
        var user = UserOf(http.Request.Headers.Authorization);
        if (user is not null || Public.Contains(http.Request.Path.Value?.TrimEnd('/') ?? ""))
        {
            if (user is not null) http.Items[RequestUser.ItemKey] = user;
            await next();
            return;
        }
        await Responses.WriteStatusAsync(http, 401, "Unauthorized", "Unauthorized");
    }

    private RequestUser? UserOf(string? header)
    {
        if (header is null) return null;
        if (CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header), _expected)) return RequestUser.Admin;
        return header.StartsWith("Bearer ", StringComparison.Ordinal) ? serviceAccounts.Find(header["Bearer ".Length..]) : null;
    }
}

using KubeRunbooks.Simulator.Api;
using KubeRunbooks.Simulator.Discovery;
using KubeRunbooks.Simulator.Store;
using Microsoft.AspNetCore.Http;

namespace KubeRunbooks.Simulator.Server;

/// <summary>Routes a request to version, discovery, OpenAPI, health or resource handling; anything else is a 404 Status.</summary>
internal sealed class ApiRouter(ResourceEndpoint resources, Authorization.AccessReviewEndpoint reviews, Func<string> serverAddress)
{
    public async Task HandleAsync(HttpContext http)
    {
        var path = http.Request.Path.Value ?? "/";
        var trimmed = path.TrimEnd('/');
        var segments = trimmed.Trim('/').Split('/');
        try
        {
            if (http.Request.Method == "GET" && await TryServeDocumentAsync(http, trimmed, segments)) return;
            if (trimmed == Authorization.AccessReviewEndpoint.Path)
            {
                await reviews.HandleAsync(http);
                return;
            }
            var resourcePath = ResourcePath.Parse(path);
            if (resourcePath != null)
            {
                await resources.HandleAsync(http, resourcePath);
                return;
            }
            await Responses.WriteStatusAsync(http, 404, "NotFound", "the server could not find the requested resource");
        }
        catch (ApiError e) when (!http.Response.HasStarted)
        {
            await Responses.WriteErrorAsync(http, e);
        }
        catch (Exception e) when (!http.Response.HasStarted && e is not OperationCanceledException)
        {
            // A bug in the simulator: answer as a real server does, with the cause in the message.
            await Responses.WriteStatusAsync(http, 500, "InternalError", $"Internal error occurred: {e.GetType().Name}: {e.Message}");
        }
    }

    private async Task<bool> TryServeDocumentAsync(HttpContext http, string path, string[] segments)
    {
        switch (path)
        {
            case "/version":
                await Responses.WriteJsonAsync(http, 200, VersionInfo.Document());
                return true;
            case "/healthz" or "/livez" or "/readyz":
                http.Response.ContentType = "text/plain";
                await http.Response.WriteAsync("ok");
                return true;
            case "/api" or "/apis":
                http.Response.Headers.Vary = "Accept";
                if (DiscoveryDocuments.WantsAggregated(http.Request.Headers.Accept))
                {
                    await Responses.WriteJsonAsync(http, 200, DiscoveryDocuments.Aggregated(core: path == "/api"), DiscoveryDocuments.AggregatedContentType);
                }
                else
                {
                    await Responses.WriteJsonAsync(http, 200, path == "/api" ? DiscoveryDocuments.ApiVersions(serverAddress()) : DiscoveryDocuments.GroupList());
                }
                return true;
            case "/openapi/v3":
                await Responses.WriteJsonAsync(http, 200, OpenApiDocuments.Index());
                return true;
        }
        if (path.StartsWith("/openapi/v3/", StringComparison.Ordinal))
        {
            var document = OpenApiDocuments.Document(path["/openapi/v3/".Length..]);
            if (document == null) return false;
            http.Response.ContentType = "application/json";
            await http.Response.WriteAsync(document);
            return true;
        }
        var resourceList = segments switch
        {
            ["api", var version] => DiscoveryDocuments.ResourceList("", version),
            ["apis", var group, var version] => DiscoveryDocuments.ResourceList(group, version),
            ["apis", var group] => DiscoveryDocuments.GroupDocument(group),
            _ => null,
        };
        if (resourceList == null) return false;
        await Responses.WriteJsonAsync(http, 200, resourceList);
        return true;
    }
}

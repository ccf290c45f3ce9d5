using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace KubeRunbooks.Tests.ClusterInfo;

/// <summary>
/// A tiny HTTP server on 127.0.0.1 answering canned JSON by path, so the real KubernetesClient is tested
/// over real HTTP. Routes are replaced per test; unknown paths answer a Kubernetes-style 404.
/// </summary>
internal sealed class LoopbackApiServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentDictionary<string, Func<HttpListenerRequest, (int Status, string Body)>> _routes = new();
    private readonly Task _loop;

    public LoopbackApiServer()
    {
        // HttpListener cannot bind port 0, so borrow a free port from the OS first.
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Url = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add(Url + "/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public string Url { get; }

    public ConcurrentQueue<string> Requests { get; } = new();

    public void Reset()
    {
        _routes.Clear();
        Requests.Clear();
    }

    public void Map(string path, string json, int status = 200) => _routes[path] = _ => (status, json);

    public void Map(string path, Func<HttpListenerRequest, (int Status, string Body)> handler) => _routes[path] = handler;

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The loop ends by the listener being closed under it.
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            // The client asks for "/version/"; the API server treats it like "/version".
            var path = context.Request.Url!.AbsolutePath.TrimEnd('/');
            Requests.Enqueue(context.Request.Url.PathAndQuery);
            var (status, body) = _routes.TryGetValue(path, out var handler)
                ? handler(context.Request)
                : (404, $$"""{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"NotFound","code":404,"message":"{{path}} not found"}""");
            var bytes = Encoding.UTF8.GetBytes(body);
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }
}

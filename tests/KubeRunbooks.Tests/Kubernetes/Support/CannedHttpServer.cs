using System.Net;
using System.Net.Sockets;
using System.Text;

namespace KubeRunbooks.Tests.Kubernetes.Support;

/// <summary>
/// A canned HTTP responder, not a cluster: a tiny HTTP/1.1 server on 127.0.0.1 with an ephemeral port where each
/// connection gets one answer from the test's handler, then is closed. For the client side of single requests (the
/// retry handler, a dropped connection, a status the simulated cluster would not give); a test of behaviour against
/// a cluster starts one with <c>TestCluster</c>.
/// </summary>
internal sealed class CannedHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<CannedRequest, CannedResponse> _handler;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly List<CannedRequest> _requests = [];

    public CannedHttpServer(Func<CannedRequest, CannedResponse> handler)
    {
        _handler = handler;
        _listener.Start();
        _loop = Task.Run(AcceptLoopAsync);
    }

    public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    public IReadOnlyList<CannedRequest> Requests
    {
        get { lock (_requests) return _requests.ToList(); }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception) { return; }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            var request = await ReadRequestAsync(stream);
            if (request is null) return;
            lock (_requests) _requests.Add(request);
            var response = _handler(request);
            if (response.Drop)
            {
                client.Client.LingerState = new LingerOption(true, 0); // reset, not a clean close
                return;
            }
            var body = Encoding.UTF8.GetBytes(response.Body);
            var head = new StringBuilder();
            head.Append($"HTTP/1.1 {response.Status} {ReasonPhrase(response.Status)}\r\n");
            head.Append($"Content-Type: {response.ContentType}\r\nContent-Length: {body.Length}\r\nConnection: close\r\n");
            foreach (var (k, v) in response.Headers ?? new Dictionary<string, string>()) head.Append($"{k}: {v}\r\n");
            head.Append("\r\n");
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()));
            await stream.WriteAsync(body);
            await stream.FlushAsync();
        }
    }

    private static async Task<CannedRequest?> ReadRequestAsync(NetworkStream stream)
    {
        var buffer = new List<byte>();
        var one = new byte[1];
        while (true)
        {
            if (await stream.ReadAsync(one) == 0) return null;
            buffer.Add(one[0]);
            if (buffer.Count >= 4 && buffer[^1] == '\n' && buffer[^2] == '\r' && buffer[^3] == '\n' && buffer[^4] == '\r') break;
        }
        var lines = Encoding.ASCII.GetString(buffer.ToArray()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var first = lines[0].Split(' ');
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':');
            if (colon > 0) headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }
        var body = "";
        if (headers.TryGetValue("Content-Length", out var length) && int.Parse(length) is var n and > 0)
        {
            var bytes = new byte[n];
            await stream.ReadExactlyAsync(bytes);
            body = Encoding.UTF8.GetString(bytes);
        }
        else if (headers.TryGetValue("Transfer-Encoding", out var te) && te.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            body = await ReadChunkedAsync(stream);
        }
        return new CannedRequest(first[0], first[1], headers, body);
    }

    private static async Task<string> ReadChunkedAsync(NetworkStream stream)
    {
        var result = new List<byte>();
        while (true)
        {
            var sizeLine = await ReadLineAsync(stream);
            var size = Convert.ToInt32(sizeLine.Split(';')[0], 16);
            if (size == 0) { await ReadLineAsync(stream); break; }
            var chunk = new byte[size];
            await stream.ReadExactlyAsync(chunk);
            result.AddRange(chunk);
            await ReadLineAsync(stream);
        }
        return Encoding.UTF8.GetString(result.ToArray());
    }

    private static async Task<string> ReadLineAsync(NetworkStream stream)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (await stream.ReadAsync(one) == 1)
        {
            if (one[0] == '\n') break;
            if (one[0] != '\r') bytes.Add(one[0]);
        }
        return Encoding.ASCII.GetString(bytes.ToArray());
    }

    private static string ReasonPhrase(int status) => status switch
    {
        200 => "OK", 201 => "Created", 404 => "Not Found", 409 => "Conflict", 410 => "Gone", 429 => "Too Many Requests",
        500 => "Internal Server Error", 503 => "Service Unavailable", _ => "Status",
    };

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try { await _loop; } catch (Exception) { /* the accept loop ends with the listener */ }
        _stop.Dispose();
    }
}

using System.Net;
using System.Net.WebSockets;
using System.Text;
using k8s;
using KubeRunbooks.Kubernetes.Exec;
using KubeRunbooks.Kubernetes.Http;

namespace KubeRunbooks.Tests.Kubernetes.Exec;

/// <summary>
/// Exec against a canned v5.channel.k8s.io WebSocket endpoint (HttpListener): large stdout, stderr, stdin closed
/// with the v5 close frame, exit code from the status channel.
/// </summary>
[TestFixture]
public class PodExecWebSocketTests
{
    private sealed class ExecEndpoint : IDisposable
    {
        private readonly HttpListener _listener = new();

        public ExecEndpoint()
        {
            var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            Port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
            _listener.Start();
        }

        public int Port { get; }

        public string? Query { get; private set; }

        public string? Protocol { get; private set; }

        public byte[] Stdin { get; private set; } = [];

        public bool StdinClosed { get; private set; }

        /// <summary>Serves one exec: reads stdin to its close frame, then writes stdout, stderr and the status.</summary>
        public async Task ServeOnceAsync(int stdoutBytes, string stderr, string status)
        {
            var context = await _listener.GetContextAsync();
            Query = context.Request.Url!.Query;
            Protocol = context.Request.Headers["Sec-WebSocket-Protocol"];
            var ws = (await context.AcceptWebSocketAsync("v5.channel.k8s.io")).WebSocket;
            var received = new MemoryStream();
            var buffer = new byte[65536];
            while (Query!.Contains("stdin=1") && !StdinClosed)
            {
                var message = new MemoryStream();
                WebSocketReceiveResult result;
                do
                {
                    result = await ws.ReceiveAsync(buffer, CancellationToken.None);
                    message.Write(buffer, 0, result.Count);
                } while (!result.EndOfMessage);
                var frame = message.ToArray();
                if (frame.Length == 2 && frame[0] == 255 && frame[1] == 0) StdinClosed = true;
                else if (frame.Length > 0 && frame[0] == 0) received.Write(frame, 1, frame.Length - 1);
            }
            Stdin = received.ToArray();
            var sent = 0;
            var chunk = new byte[32 * 1024 + 1];
            chunk[0] = 1;
            while (sent < stdoutBytes)
            {
                var n = Math.Min(32 * 1024, stdoutBytes - sent);
                for (var i = 0; i < n; i++) chunk[i + 1] = (byte)('a' + (sent + i) % 26);
                await ws.SendAsync(chunk.AsMemory(0, n + 1), WebSocketMessageType.Binary, true, CancellationToken.None);
                sent += n;
            }
            if (Stdin.Length > 0) await ws.SendAsync(new byte[] { 1 }.Concat(Stdin).ToArray(), WebSocketMessageType.Binary, true, CancellationToken.None);
            await ws.SendAsync(new byte[] { 2 }.Concat(Encoding.UTF8.GetBytes(stderr)).ToArray(), WebSocketMessageType.Binary, true, CancellationToken.None);
            await ws.SendAsync(new byte[] { 3 }.Concat(Encoding.UTF8.GetBytes(status)).ToArray(), WebSocketMessageType.Binary, true, CancellationToken.None);
            await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
            context.Response.Close();
        }

        public void Dispose() => ((IDisposable)_listener).Dispose();
    }

    private const string Exit3 = """{"metadata":{},"status":"Failure","message":"command terminated with non-zero exit code","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"3"}]}}""";

    private static IKubernetes Client(int port) =>
        KubernetesClientFactory.Create(new KubernetesClientConfiguration { Host = $"http://127.0.0.1:{port}" });

    [Test]
    public async Task Streams_stdin_stdout_stderr_and_reads_the_exit_code()
    {
        using var endpoint = new ExecEndpoint();
        using var client = Client(endpoint.Port);
        const int size = 3 * 1024 * 1024;
        var server = endpoint.ServeOnceAsync(size, "warning: slow disk\n", Exit3);
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        var stdin = new MemoryStream(Encoding.UTF8.GetBytes("SELECT 1;\n"));
        var result = await new PodExec(client).RunAsync(new ExecRequest("db", "postgres-0", "postgres", ["psql", "-U", "app"]), stdout, stderr, stdin);
        await server;
        Assert.That(result.ExitCode, Is.EqualTo(3));
        Assert.That(result.StdoutBytes, Is.EqualTo(size + 10));
        Assert.That(Encoding.UTF8.GetString(stdout.ToArray(), size, 10), Is.EqualTo("SELECT 1;\n"));
        Assert.That(stdout.ToArray()[size - 1], Is.EqualTo((byte)('a' + (size - 1) % 26)), "every stdout byte arrived in order");
        Assert.That(Encoding.UTF8.GetString(stderr.ToArray()), Is.EqualTo("warning: slow disk\n"));
        Assert.That(endpoint.StdinClosed, Is.True, "stdin closed with the v5 close frame");
        Assert.That(endpoint.Protocol, Does.Contain("v5.channel.k8s.io"));
        Assert.That(endpoint.Query, Does.Contain("tty=0").And.Contain("stdin=1").And.Contain("container=postgres"));
    }

    [Test]
    public async Task Without_stdin_a_success_status_is_exit_code_zero()
    {
        using var endpoint = new ExecEndpoint();
        using var client = Client(endpoint.Port);
        var server = endpoint.ServeOnceAsync(100, "", """{"metadata":{},"status":"Success"}""");
        var stdout = new MemoryStream();
        var result = await new PodExec(client).RunAsync(new ExecRequest("db", "postgres-0", "postgres", ["true"]), stdout);
        await server;
        Assert.That(result, Is.EqualTo(new ExecResult(0, 100, 0)));
        Assert.That(endpoint.Query, Does.Contain("stdin=0"));
    }

    [Test]
    public async Task A_stream_closed_without_status_is_an_error()
    {
        using var endpoint = new ExecEndpoint();
        using var client = Client(endpoint.Port);
        var server = endpoint.ServeOnceAsync(10, "", "");
        var e = Assert.ThrowsAsync<ExecFailedException>(() => new PodExec(client).RunAsync(new ExecRequest("db", "postgres-0", "postgres", ["pg_dumpall"]), new MemoryStream()));
        await server;
        Assert.That(e!.Message, Does.Contain("ended without an exit status"));
    }
}

using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using KubeRunbooks.Simulator.Store;

namespace KubeRunbooks.Simulator.Ingress;

/// <summary>
/// The simulated cluster's ingress controller, as far as TLS goes: a loopback endpoint serving the certificate of one
/// <c>kubernetes.io/tls</c> Secret (nginx ingress's <c>--default-ssl-certificate=shared/default-ssl-cert</c>). Like
/// nginx, it picks up a changed Secret without a restart: each handshake uses the Secret's current resourceVersion.
/// Answers every request with <c>200 OK</c> and closes.
/// </summary>
public sealed class IngressTlsEndpoint : IAsyncDisposable
{
    private readonly ObjectStore _store;
    private readonly string _namespace;
    private readonly string _name;
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private readonly object _gate = new();
    private (string Version, SslStreamCertificateContext Context)? _cached;

    private IngressTlsEndpoint(ObjectStore store, string ns, string name)
    {
        _store = store;
        _namespace = ns;
        _name = name;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>The port it listens on (127.0.0.1).</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary><c>127.0.0.1:PORT</c>, as a profile's ingress endpoint names it.</summary>
    public string Endpoint => $"127.0.0.1:{Port}";

    /// <summary>Starts serving the Secret <paramref name="ns"/>/<paramref name="name"/> on an ephemeral loopback port.</summary>
    public static IngressTlsEndpoint Start(ObjectStore store, string ns = "shared", string name = "default-ssl-cert") => new(store, ns, name);

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                await using var ssl = new SslStream(client.GetStream());
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                timeout.CancelAfter(TimeSpan.FromSeconds(10));
                await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                {
                    ServerCertificateContext = Current(),
                }, timeout.Token).ConfigureAwait(false);
                var buffer = new byte[4096];
                _ = await ssl.ReadAsync(buffer, timeout.Token).ConfigureAwait(false);
                await ssl.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"), timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or System.Security.Authentication.AuthenticationException or InvalidOperationException or System.Security.Cryptography.CryptographicException)
            {
                // A probe that hangs up after the handshake, or a Secret that cannot be served: the connection ends.
            }
        }
    }

    private SslStreamCertificateContext Current()
    {
        var secret = _store.TryGet(ResourceCatalog.Secrets, _namespace, _name)
            ?? throw new InvalidOperationException($"secret {_namespace}/{_name} does not exist");
        var version = (string?)secret["metadata"]?["resourceVersion"] ?? "";
        lock (_gate)
        {
            if (_cached is { } cached && cached.Version == version) return cached.Context;
            var data = secret["data"] as JsonObject ?? throw new InvalidOperationException($"secret {_namespace}/{_name} has no data");
            var crt = Encoding.ASCII.GetString(Convert.FromBase64String((string)data["tls.crt"]!));
            var key = Encoding.ASCII.GetString(Convert.FromBase64String((string)data["tls.key"]!));
            var leaf = X509Certificate2.CreateFromPem(crt, key);
            // The intermediates after the leaf are sent too, as nginx sends the whole tls.crt.
            var chain = new X509Certificate2Collection();
            chain.ImportFromPem(crt);
            var intermediates = new X509Certificate2Collection(chain.Cast<X509Certificate2>().Skip(1).ToArray());
            var context = SslStreamCertificateContext.Create(leaf, intermediates, offline: true);
            _cached = (version, context);
            return context;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        try { await _accepting.ConfigureAwait(false); }
        catch (OperationCanceledException) { /* stopping */ }
        _stop.Dispose();
    }
}

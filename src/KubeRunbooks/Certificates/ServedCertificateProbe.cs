using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace KubeRunbooks.Certificates;

/// <summary>
/// Opens a TLS handshake to an endpoint and returns the leaf it serves, without judging it: the check "the served
/// certificate changed" compares the result with the certificate just installed (a browser's look, as a test).
/// </summary>
public static class ServedCertificateProbe
{
    /// <summary>The leaf served at <paramref name="host"/>:<paramref name="port"/>, asking for <paramref name="serverName"/> (SNI).</summary>
    /// <exception cref="IOException">The endpoint cannot be reached or the handshake fails (message names the endpoint).</exception>
    public static async Task<X509Certificate2> GetLeafAsync(string host, int port, string serverName, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(host, port, cts.Token).ConfigureAwait(false);
            X509Certificate2? served = null;
            await using var ssl = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, (_, certificate, _, _) =>
            {
                // Look, do not judge: the validator has checked the chain already.
                if (certificate is not null) served = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
                return true;
            });
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = serverName }, cts.Token).ConfigureAwait(false);
            return served ?? throw new IOException($"{host}:{port} served no certificate");
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or System.Security.Authentication.AuthenticationException && !cancellationToken.IsCancellationRequested)
        {
            throw new IOException($"TLS handshake with {host}:{port} (server name {serverName}) failed: {e.Message}", e);
        }
    }

    /// <summary>Parses <c>HOST:PORT</c> (an IPv6 host in brackets).</summary>
    public static bool TryParseEndpoint(string text, out string host, out int port)
    {
        host = "";
        port = 0;
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text[(colon + 1)..], out port) || port is < 1 or > 65535) return false;
        host = text[..colon].Trim('[', ']');
        return host.Length > 0;
    }
}

using k8s;
using k8s.Models;
using KubeRunbooks.Certificates;
using KubeRunbooks.Secrets;
using KubeRunbooks.Simulator.Ingress;
using KubeRunbooks.Tests.Certificates;
using KubeRunbooks.Tests.Simulator.Api;

namespace KubeRunbooks.Tests.Secrets;

/// <summary>
/// Secrets written over real HTTP to the simulated cluster (created, replaced, recreated with another type, verified by
/// fingerprint), and the simulated ingress serving the TLS Secret and picking up its change.
/// </summary>
[TestFixture]
public sealed class SecretWriterHttpTests : ClusterFixture
{
    private TestPki _pki = null!;

    [OneTimeSetUp]
    public async Task MakeNamespaceAsync()
    {
        _pki = new TestPki();
        await Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "shared" } });
    }

    [OneTimeTearDown]
    public void DisposePki() => _pki.Dispose();

    private static SecretSpec Opaque(string name, string value) =>
        new("default", name, SecretSpec.OpaqueType, new Dictionary<string, byte[]> { ["license.key"] = TestLeaf.Bytes(value) });

    [Test]
    public async Task A_secret_is_created_then_replaced_annotated_with_the_run_and_verified()
    {
        var lines = new List<string>();
        var writer = new SecretWriter(Client, lines.Add);

        Assert.That(await writer.WriteAsync(Opaque("license-a", "value-one"), "host:1:run-a"), Is.EqualTo(SecretWriteOutcome.Created));
        Assert.That(await writer.WriteAsync(Opaque("license-a", "value-two"), "host:1:run-b"), Is.EqualTo(SecretWriteOutcome.Replaced));
        var fingerprints = await writer.VerifyAsync(Opaque("license-a", "value-two"));

        var secret = await Client.CoreV1.ReadNamespacedSecretAsync("license-a", "default");
        Assert.That(System.Text.Encoding.ASCII.GetString(secret.Data["license.key"]), Is.EqualTo("value-two"));
        Assert.That(secret.Metadata.Annotations[SecretWriter.WrittenByAnnotation], Is.EqualTo("host:1:run-b"));
        Assert.That(fingerprints["license.key"], Is.EqualTo(SecretFingerprints.Of(TestLeaf.Bytes("value-two"))));
        Assert.That(string.Join("\n", lines), Does.Not.Contain("value-"), "values never reach the log");
    }

    [Test]
    public async Task Verify_names_the_keys_that_differ_without_their_values()
    {
        var writer = new SecretWriter(Client);
        await writer.WriteAsync(Opaque("license-b", "written"), "run");
        await writer.WriteAsync(Opaque("license-b", "changed-by-someone"), "other");

        var e = Assert.ThrowsAsync<InvalidDataException>(() => writer.VerifyAsync(Opaque("license-b", "written")))!;

        Assert.That(e.Message, Does.Contain("license.key").And.Not.Contain("changed-by-someone").And.Not.Contain("written\""));
    }

    [Test]
    public async Task A_secret_of_another_type_is_recreated_with_the_wanted_type()
    {
        var writer = new SecretWriter(Client);
        await writer.WriteAsync(Opaque("tls-c", "x"), "run");
        var leaf = _pki.Leaf(["vantiq.example.com"]);

        var outcome = await writer.WriteAsync(SecretSpec.Tls("default", "tls-c", TestLeaf.Bytes(leaf.FullChainPem), TestLeaf.Bytes(leaf.Pkcs8Pem)), "run");

        Assert.That(outcome, Is.EqualTo(SecretWriteOutcome.Recreated));
        Assert.That((await Client.CoreV1.ReadNamespacedSecretAsync("tls-c", "default")).Type, Is.EqualTo("kubernetes.io/tls"));
    }

    [Test]
    public async Task The_simulated_ingress_serves_the_secret_and_picks_up_its_change()
    {
        var writer = new SecretWriter(Client);
        var first = _pki.Leaf(["vantiq.example.com"]);
        var second = _pki.Leaf(["vantiq.example.com"], ecdsa: true);
        await writer.WriteAsync(SecretSpec.Tls("shared", "default-ssl-cert", TestLeaf.Bytes(first.FullChainPem), TestLeaf.Bytes(first.Pkcs8Pem)), "run");
        await using var ingress = IngressTlsEndpoint.Start(Cluster.Store);
        Assert.That(ServedCertificateProbe.TryParseEndpoint(ingress.Endpoint, out var host, out var port), Is.True);

        var before = await ServedCertificateProbe.GetLeafAsync(host, port, "vantiq.example.com", TimeSpan.FromSeconds(10));
        await writer.WriteAsync(SecretSpec.Tls("shared", "default-ssl-cert", TestLeaf.Bytes(second.FullChainPem), TestLeaf.Bytes(second.TraditionalPem)), "run");
        var after = await ServedCertificateProbe.GetLeafAsync(host, port, "vantiq.example.com", TimeSpan.FromSeconds(10));

        Assert.That(ValidatedCertificate.Fingerprint(before), Is.EqualTo(ValidatedCertificate.Fingerprint(first.Certificate)));
        Assert.That(ValidatedCertificate.Fingerprint(after), Is.EqualTo(ValidatedCertificate.Fingerprint(second.Certificate)));
    }

    [Test]
    public void A_probe_of_a_closed_port_fails_naming_the_endpoint()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var e = Assert.ThrowsAsync<IOException>(() => ServedCertificateProbe.GetLeafAsync("127.0.0.1", port, "x", TimeSpan.FromSeconds(5)))!;

        Assert.That(e.Message, Does.Contain($"127.0.0.1:{port}"));
    }
}

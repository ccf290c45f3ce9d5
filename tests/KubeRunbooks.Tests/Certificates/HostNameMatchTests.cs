using KubeRunbooks.Certificates;

namespace KubeRunbooks.Tests.Certificates;

/// <summary>Wildcards as browsers apply them (RFC 6125 6.4.3).</summary>
[TestFixture]
public sealed class HostNameMatchTests
{
    [TestCase("vantiq.example.com", "vantiq.example.com", true)]
    [TestCase("Vantiq.Example.COM", "vantiq.example.com.", true)]
    [TestCase("*.example.com", "vantiq.example.com", true)]
    [TestCase("*.example.com", "example.com", false)]
    [TestCase("*.example.com", "a.b.example.com", false)]
    [TestCase("*.example.com", ".example.com", false)]
    [TestCase("*.com", "example.com", false)]
    [TestCase("v*.example.com", "vantiq.example.com", false)]
    [TestCase("vantiq.*.com", "vantiq.example.com", false)]
    [TestCase("*.example.com", "*.example.com", true)]
    [TestCase("vantiq.example.com", "*.example.com", false)]
    [TestCase("other.example.com", "vantiq.example.com", false)]
    public void A_certificate_name_matches_a_host_as_TLS_clients_match_it(string san, string host, bool expected) =>
        Assert.That(HostNameMatch.Matches(san, host), Is.EqualTo(expected));
}

using System.Security.Cryptography;
using KubeRunbooks.Certificates;

namespace KubeRunbooks.Tests.Certificates;

/// <summary>Every check of a new certificate and key, with certificates made in the test.</summary>
[TestFixture]
public sealed class CertificateValidatorTests
{
    private const string Domain = "vantiq.example.com";
    private TestPki _pki = null!;

    [OneTimeSetUp]
    public void MakePki() => _pki = new TestPki();

    [OneTimeTearDown]
    public void DisposePki() => _pki.Dispose();

    private CertificateRequirements Now(string? domain = Domain) => new() { Now = DateTimeOffset.UtcNow, Domain = domain, TrustedRoots = [_pki.Root] };

    [TestCase(false, false)]
    [TestCase(false, true)]
    [TestCase(true, false)]
    [TestCase(true, true)]
    public void A_full_chain_with_its_key_passes(bool ecdsa, bool traditionalKeyFormat)
    {
        var leaf = _pki.Leaf([Domain], ecdsa: ecdsa);

        var result = CertificateValidator.Validate(leaf.FullChainPem, "fullchain.crt", traditionalKeyFormat ? leaf.TraditionalPem : leaf.Pkcs8Pem, "private.key", Now());

        Assert.That(result.Chain, Has.Count.EqualTo(2));
        Assert.That(result.LeafFingerprint, Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(leaf.Certificate.RawData))));
        Assert.That(result.HostChecked, Is.EqualTo(Domain));
    }

    [Test]
    public void A_chain_ending_with_its_root_passes()
    {
        var leaf = _pki.Leaf([Domain]);

        var result = CertificateValidator.Validate(TestPki.Pem(leaf.Certificate, _pki.Intermediate, _pki.Root), "fullchain.crt", leaf.Pkcs8Pem, "private.key", Now());

        Assert.That(result.Chain, Has.Count.EqualTo(3));
    }

    private static CertificateCheckException Refused(TestDelegate action, CertificateCheck check, string file)
    {
        var e = Assert.Throws<CertificateCheckException>(action)!;
        Assert.That(e.Check, Is.EqualTo(check), e.Message);
        Assert.That(e.File, Is.EqualTo(file));
        Assert.That(e.Message, Does.StartWith($"certificate check '{check.ToString().ToLowerInvariant()}' failed for {file}: "));
        return e;
    }

    [Test]
    public void Garbage_is_refused_as_not_pem()
    {
        var leaf = _pki.Leaf([Domain]);

        var e = Refused(() => CertificateValidator.Validate("this is not a certificate\n", "fullchain.crt", leaf.Pkcs8Pem, "private.key", Now()), CertificateCheck.Pem, "fullchain.crt");
        Assert.That(e.Message, Does.Contain("not PEM"));
        Refused(() => CertificateValidator.Validate(leaf.FullChainPem, "fullchain.crt", "garbage", "private.key", Now()), CertificateCheck.Pem, "private.key");
    }

    [Test]
    public void A_certificate_block_that_is_not_a_certificate_is_refused()
    {
        var leaf = _pki.Leaf([Domain]);
        var bad = "-----BEGIN CERTIFICATE-----\nAAECAwQFBgcICQ==\n-----END CERTIFICATE-----\n";

        var e = Refused(() => CertificateValidator.Validate(bad, "fullchain.crt", leaf.Pkcs8Pem, "private.key", Now()), CertificateCheck.Pem, "fullchain.crt");
        Assert.That(e.Message, Does.Contain("not a valid X.509 certificate"));
    }

    [Test]
    public void A_key_in_the_certificate_file_is_refused()
    {
        var leaf = _pki.Leaf([Domain]);

        var e = Refused(() => CertificateValidator.Validate(leaf.FullChainPem + leaf.Pkcs8Pem, "fullchain.crt", leaf.Pkcs8Pem, "private.key", Now()), CertificateCheck.Pem, "fullchain.crt");
        Assert.That(e.Message, Does.Contain("PRIVATE KEY"));
    }

    [Test]
    public void A_missing_intermediate_is_named()
    {
        var leaf = _pki.Leaf([Domain]);

        var e = Refused(() => CertificateValidator.Validate(TestPki.Pem(leaf.Certificate), "fullchain.crt", leaf.Pkcs8Pem, "private.key", Now()), CertificateCheck.Chain, "fullchain.crt");
        Assert.That(e.Message, Does.Contain("CN=Test Intermediate CA").And.Contain("missing"));
    }

    [Test]
    public void A_chain_skipping_the_intermediate_is_refused_naming_it()
    {
        var leaf = _pki.Leaf([Domain]);

        var e = Refused(() => CertificateValidator.Validate(TestPki.Pem(leaf.Certificate, _pki.Root), "fullchain.crt", leaf.Pkcs8Pem, "private.key", Now()), CertificateCheck.Chain, "fullchain.crt");
        Assert.That(e.Message, Does.Contain("'CN=Test Intermediate CA' is missing"));
    }

    [Test]
    public void The_intermediate_first_is_refused()
    {
        var leaf = _pki.Leaf([Domain]);

        var e = Refused(() => CertificateValidator.Validate(TestPki.Pem(_pki.Intermediate, leaf.Certificate), "fullchain.crt", leaf.Pkcs8Pem, "private.key", Now()), CertificateCheck.Chain, "fullchain.crt");
        Assert.That(e.Message, Does.Contain("leaf").And.Contain("must come first"));
    }

    [Test]
    public void An_intermediate_of_another_ca_with_the_same_name_fails_the_signature()
    {
        using var other = new TestPki();
        var leaf = _pki.Leaf([Domain]);

        var e = Refused(() => CertificateValidator.Validate(TestPki.Pem(leaf.Certificate, other.Intermediate), "fullchain.crt", leaf.Pkcs8Pem, "private.key", Now()), CertificateCheck.Chain, "fullchain.crt");
        Assert.That(e.Message, Does.Contain("signature"));
    }

    [Test]
    public void The_key_of_another_certificate_is_refused()
    {
        var leaf = _pki.Leaf([Domain]);
        var other = _pki.Leaf([Domain]);

        var e = Refused(() => CertificateValidator.Validate(leaf.FullChainPem, "fullchain.crt", other.Pkcs8Pem, "private.key", Now()), CertificateCheck.Key, "private.key");
        Assert.That(e.Message, Does.Contain("does not belong to the leaf"));
    }

    [Test]
    public void An_encrypted_key_is_refused_with_a_clear_message()
    {
        var leaf = _pki.Leaf([Domain]);

        var e = Refused(() => CertificateValidator.Validate(leaf.FullChainPem, "fullchain.crt", leaf.EncryptedPem, "private.key", Now()), CertificateCheck.Key, "private.key");
        Assert.That(e.Message, Does.Contain("encrypted"));
    }

    [Test]
    public void A_legacy_openssl_encrypted_key_is_refused()
    {
        var leaf = _pki.Leaf([Domain]);
        var legacy = "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,00112233445566778899AABBCCDDEEFF\n\nAAAA\n-----END RSA PRIVATE KEY-----\n";

        var e = Refused(() => CertificateValidator.Validate(leaf.FullChainPem, "fullchain.crt", legacy, "private.key", Now()), CertificateCheck.Key, "private.key");
        Assert.That(e.Message, Does.Contain("encrypted"));
    }

    [Test]
    public void An_expired_certificate_is_refused()
    {
        var leaf = _pki.Leaf([Domain], DateTimeOffset.UtcNow.AddDays(-100), DateTimeOffset.UtcNow.AddDays(-10));

        var e = Refused(() => CertificateValidator.Validate(leaf.FullChainPem, "fullchain.crt", leaf.Pkcs8Pem, "private.key", Now()), CertificateCheck.Validity, "fullchain.crt");
        Assert.That(e.Message, Does.Contain("has expired"));
    }

    [Test]
    public void A_certificate_not_yet_valid_is_refused()
    {
        var leaf = _pki.Leaf([Domain], DateTimeOffset.UtcNow.AddDays(10), DateTimeOffset.UtcNow.AddDays(100));

        var e = Refused(() => CertificateValidator.Validate(leaf.FullChainPem, "fullchain.crt", leaf.Pkcs8Pem, "private.key", Now()), CertificateCheck.Validity, "fullchain.crt");
        Assert.That(e.Message, Does.Contain("not valid yet"));
    }

    [Test]
    public void A_certificate_for_another_host_is_refused_listing_its_names()
    {
        var leaf = _pki.Leaf(["other.example.com", "www.other.example.com"]);

        var e = Refused(() => CertificateValidator.Validate(leaf.FullChainPem, "fullchain.crt", leaf.Pkcs8Pem, "private.key", Now()), CertificateCheck.Host, "fullchain.crt");
        Assert.That(e.Message, Does.Contain(Domain).And.Contain("other.example.com, www.other.example.com"));
    }

    [Test]
    public void A_certificate_without_subject_alternative_names_is_refused_even_when_the_common_name_matches()
    {
        var leaf = _pki.Leaf([]);
        var e = Refused(() => CertificateValidator.Validate(leaf.FullChainPem, "fullchain.crt", leaf.Pkcs8Pem, "private.key", Now("no-san")), CertificateCheck.Host, "fullchain.crt");
        Assert.That(e.Message, Does.Contain("no subject alternative names"));
    }

    [Test]
    public void Without_a_domain_the_host_check_is_skipped()
    {
        var leaf = _pki.Leaf(["other.example.com"]);

        var result = CertificateValidator.Validate(leaf.FullChainPem, "fullchain.crt", leaf.Pkcs8Pem, "private.key", Now(domain: null));

        Assert.That(result.HostChecked, Is.Null);
    }

    [Test]
    public void A_certificate_expiring_before_the_current_one_is_refused_unless_forced()
    {
        var current = _pki.Leaf([Domain], notAfter: DateTimeOffset.UtcNow.AddDays(200));
        var shorter = _pki.Leaf([Domain], notAfter: DateTimeOffset.UtcNow.AddDays(100));
        var requirements = Now() with { Current = current.Certificate, CurrentSource = "secret vantiq/vantiq-ssl-cert" };

        var e = Refused(() => CertificateValidator.Validate(shorter.FullChainPem, "fullchain.crt", shorter.Pkcs8Pem, "private.key", requirements), CertificateCheck.Expiry, "fullchain.crt");
        Assert.That(e.Message, Does.Contain("secret vantiq/vantiq-ssl-cert").And.Contain("--force"));

        Assert.DoesNotThrow(() => CertificateValidator.Validate(shorter.FullChainPem, "fullchain.crt", shorter.Pkcs8Pem, "private.key", requirements with { Force = true }));
    }

    [Test]
    public void No_refusal_message_holds_key_material()
    {
        var leaf = _pki.Leaf([Domain]);
        var other = _pki.Leaf([Domain]);
        var body = other.Pkcs8Pem.Split('\n')[1];

        var e = Assert.Throws<CertificateCheckException>(() => CertificateValidator.Validate(leaf.FullChainPem, "fullchain.crt", other.Pkcs8Pem, "private.key", Now()))!;

        Assert.That(e.Message, Does.Not.Contain(body[..20]));
    }
}

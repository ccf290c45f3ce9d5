using System.Text;
using k8s;
using KubeRunbooks.Certificates;
using KubeRunbooks.Kubernetes.Annotations;
using KubeRunbooks.Runbooks.Ledger;
using KubeRunbooks.Secrets;
using KubeRunbooks.Simulator.Ingress;
using KubeRunbooks.Tests.Certificates;
using KubeRunbooks.Tests.Support;

namespace KubeRunbooks.Tests.Vantiq;

/// <summary>
/// The certificate and license runbooks through the built host against the simulated Vantiq install: the good chain
/// renews both TLS secrets and the served certificate, rollback restores the previous fingerprints, every bad input
/// is refused with its check (exit 2, nothing written, no audit line), the license renewal rolls vantiq, and no
/// secret value appears in any output or report.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed partial class SecretRenewalCommandLineTests
{
    private const string Domain = "vantiq.example.com";
    private readonly List<HostRun> _runs = [];
    private readonly List<string> _secretValues = [];
    private readonly List<string> _killedOutputs = [];
    private VantiqWorld _world = null!;
    private IngressTlsEndpoint _ingress = null!;
    private TestPki _pki = null!;
    private string _sensitive = null!;
    private string _inputs = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _pki = new TestPki();
        _world = await VantiqWorld.StartAsync();
        _ingress = IngressTlsEndpoint.Start(_world.Cluster.Store);
        _sensitive = Path.Combine(_world.Workspace.Folder, "sensitive");
        _inputs = Path.Combine(_world.Workspace.Folder, "inputs");
        Directory.CreateDirectory(_inputs);
        _world.WriteProfile($"  sensitiveFolder: {_sensitive}\n  domain: {Domain}\n  ingressEndpoint: {_ingress.Endpoint}\n");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _ingress.DisposeAsync();
        await _world.DisposeAsync();
        _pki.Dispose();
    }

    private HostRun Run(params string[] args)
    {
        var run = _world.Run(args);
        _runs.Add(run);
        return run;
    }

    /// <summary>Writes the leaf's fullchain and key as input files; remembers the key's lines as secret values.</summary>
    private (string Chain, string Key) Inputs(TestLeaf leaf, string name, string? chainPem = null, string? keyPem = null)
    {
        var chain = Path.Combine(_inputs, name + ".crt");
        var key = Path.Combine(_inputs, name + ".key");
        File.WriteAllText(chain, chainPem ?? leaf.FullChainPem);
        var keyText = keyPem ?? leaf.Pkcs8Pem;
        File.WriteAllText(key, keyText);
        _secretValues.AddRange(keyText.Split('\n').Where(l => l.Length > 20 && !l.StartsWith("-----", StringComparison.Ordinal)));
        return (chain, key);
    }

    private async Task<(string Crt, string Key)> TlsFingerprintsAsync(string ns, string name)
    {
        var secret = await _world.Client.CoreV1.ReadNamespacedSecretAsync(name, ns);
        Assert.That(secret.Type, Is.EqualTo("kubernetes.io/tls"));
        return (SecretFingerprints.Of(secret.Data["tls.crt"]), SecretFingerprints.Of(secret.Data["tls.key"]));
    }

    private async Task<string> ServedAsync()
    {
        ServedCertificateProbe.TryParseEndpoint(_ingress.Endpoint, out var host, out var port);
        using var served = await ServedCertificateProbe.GetLeafAsync(host, port, Domain, TimeSpan.FromSeconds(10));
        return ValidatedCertificate.Fingerprint(served);
    }

    private static string Sha(string text) => SecretFingerprints.Of(Encoding.UTF8.GetBytes(text));

    [Test]
    [Order(1)]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_good_chain_renews_both_secrets_and_the_served_certificate_and_rollback_restores_the_previous_fingerprints()
    {
        var first = _pki.Leaf([Domain], notAfter: DateTimeOffset.UtcNow.AddDays(200));
        var second = _pki.Leaf([Domain], notAfter: DateTimeOffset.UtcNow.AddDays(300), ecdsa: true);
        var (chain1, key1) = Inputs(first, "first");
        var (chain2, key2) = Inputs(second, "second", keyPem: second.TraditionalPem);

        var renew1 = Run("--target=RenewSslCertificate", $"--certificate={chain1}", $"--key={key1}");
        Assert.That(renew1.ExitCode, Is.EqualTo(0), renew1.Output + renew1.Error);
        var afterFirst = await TlsFingerprintsAsync("vantiq", "vantiq-ssl-cert");
        Assert.That(afterFirst, Is.EqualTo((Sha(first.FullChainPem), Sha(first.Pkcs8Pem))));
        Assert.That(await TlsFingerprintsAsync("shared", "default-ssl-cert"), Is.EqualTo(afterFirst));
        Assert.That(await ServedAsync(), Is.EqualTo(ValidatedCertificate.Fingerprint(first.Certificate)));
        Assert.That(File.GetUnixFileMode(Path.Combine(_sensitive, "private.key")), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        var secret = await _world.Client.CoreV1.ReadNamespacedSecretAsync("vantiq-ssl-cert", "vantiq");
        Assert.That(secret.Metadata.Annotations[SecretWriter.WrittenByAnnotation], Does.Contain(":"), "annotated with the run");

        var renew2 = Run("--target=RenewSslCertificate", $"--certificate={chain2}", $"--key={key2}");
        Assert.That(renew2.ExitCode, Is.EqualTo(0), renew2.Output + renew2.Error);
        var today = DateTime.UtcNow.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(File.ReadAllText(Path.Combine(_sensitive, $"fullchain.crt.{today}")), Is.EqualTo(first.FullChainPem));
        Assert.That(await ServedAsync(), Is.EqualTo(ValidatedCertificate.Fingerprint(second.Certificate)), "the served certificate changed");
        Assert.That(renew2.Output, Does.Contain("Served certificate at"));

        var rollback = Run("--target=RollbackSslCertificate");
        Assert.That(rollback.ExitCode, Is.EqualTo(0), rollback.Output + rollback.Error);
        Assert.That(await TlsFingerprintsAsync("vantiq", "vantiq-ssl-cert"), Is.EqualTo(afterFirst));
        Assert.That(await TlsFingerprintsAsync("shared", "default-ssl-cert"), Is.EqualTo(afterFirst));
        Assert.That(await ServedAsync(), Is.EqualTo(ValidatedCertificate.Fingerprint(first.Certificate)));
        Assert.That(File.ReadAllText(Path.Combine(_sensitive, "fullchain.crt")), Is.EqualTo(first.FullChainPem));
        Assert.That(Directory.GetFiles(_sensitive).Select(Path.GetFileName), Has.Some.StartsWith("fullchain.crt.rolledback-"), "what the rollback replaced is kept");
    }

    private static IEnumerable<TestCaseData> BadInputs()
    {
        yield return new TestCaseData("expired", "validity", "has expired");
        yield return new TestCaseData("not-yet-valid", "validity", "not valid yet");
        yield return new TestCaseData("wrong-key", "key", "does not belong");
        yield return new TestCaseData("missing-intermediate", "chain", "Intermediate CA' ");
        yield return new TestCaseData("wrong-host", "host", "not valid for vantiq.example.com");
        yield return new TestCaseData("shorter-expiry", "expiry", "--force");
        yield return new TestCaseData("encrypted-key", "key", "encrypted");
        yield return new TestCaseData("garbage", "pem", "not PEM");
    }

    [TestCaseSource(nameof(BadInputs))]
    [Order(2)]
    public async Task Each_bad_input_is_refused_with_its_check_exit_2_nothing_written_and_no_audit_line(string kind, string check, string expected)
    {
        var now = DateTimeOffset.UtcNow;
        var good = _pki.Leaf([Domain], notAfter: now.AddDays(400));
        var (chain, key) = kind switch
        {
            "expired" => Inputs(_pki.Leaf([Domain], now.AddDays(-100), now.AddDays(-1)), kind),
            "not-yet-valid" => Inputs(_pki.Leaf([Domain], now.AddDays(5), now.AddDays(500)), kind),
            "wrong-key" => Inputs(good, kind, keyPem: _pki.Leaf([Domain]).Pkcs8Pem),
            "missing-intermediate" => Inputs(good, kind, chainPem: TestPki.Pem(good.Certificate)),
            "wrong-host" => Inputs(_pki.Leaf(["other.example.com"], notAfter: now.AddDays(400)), kind),
            "shorter-expiry" => Inputs(_pki.Leaf([Domain], notAfter: now.AddDays(20)), kind),
            "encrypted-key" => Inputs(good, kind, keyPem: good.EncryptedPem),
            _ => Inputs(good, kind, chainPem: "-- not a certificate --\n"),
        };
        var filesBefore = Directory.Exists(_sensitive) ? Directory.GetFiles(_sensitive).Order().ToList() : [];
        var secretBefore = await TlsFingerprintsAsync("vantiq", "vantiq-ssl-cert");
        var auditBefore = _world.Audit().Count;

        var run = Run("--target=RenewSslCertificate", $"--certificate={chain}", $"--key={key}");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.Output + run.Error);
        Assert.That(run.Error.Trim().Split('\n'), Has.Length.EqualTo(1), run.Error);
        Assert.That(run.Error, Does.StartWith($"error: certificate check '{check}' failed for ").And.Contain(expected));
        Assert.That(_world.Audit().Skip(auditBefore), Is.Empty, "no request changed anything");
        Assert.That(Directory.Exists(_sensitive) ? Directory.GetFiles(_sensitive).Order().ToList() : [], Is.EqualTo(filesBefore), "no file written");
        Assert.That(await TlsFingerprintsAsync("vantiq", "vantiq-ssl-cert"), Is.EqualTo(secretBefore));
    }

    [TestCase("RenewSslCertificate", "", "--certificate=FILE is required")]
    [TestCase("RenewSslCertificate", "--certificate=/nonexistent.crt", "no such file")]
    [TestCase("RollbackSslCertificate", "--date=20000101", "No archived set")]
    [TestCase("RollbackSslCertificate", "--date=yesterday", "is not a date yyyyMMdd")]
    [TestCase("RenewLicense", "", "--license=FILE is required")]
    [TestCase("RollbackLicense", "--date=20000101", "No archived set")]
    [Order(3)]
    public void Wrong_arguments_are_refused_with_one_line_exit_2_and_no_change(string target, string argument, string expected)
    {
        var before = _world.Audit().Count;

        var run = Run(new[] { $"--target={target}", argument }.Where(a => a.Length > 0).ToArray());

        Assert.That(run.ExitCode, Is.EqualTo(2), run.Output + run.Error);
        Assert.That(run.Error.Trim().Split('\n'), Has.Length.EqualTo(1), run.Error);
        Assert.That(run.Error, Does.StartWith("error: ").And.Contain(expected));
        Assert.That(_world.Audit().Skip(before), Is.Empty);
    }

    [Test]
    [Order(4)]
    public void A_public_key_that_is_not_pem_is_refused()
    {
        var license = Path.Combine(_inputs, "bad-license.key");
        var publicKey = Path.Combine(_inputs, "bad-public.pem");
        File.WriteAllText(license, "license-value-that-must-never-be-printed-0001");
        File.WriteAllText(publicKey, "not a public key");
        _secretValues.Add("license-value-that-must-never-be-printed-0001");
        var before = _world.Audit().Count;

        var run = Run("--target=RenewLicense", $"--license={license}", $"--public-key={publicKey}");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.Output + run.Error);
        Assert.That(run.Error, Does.StartWith("error: license check failed for ").And.Contain("bad-public.pem"));
        Assert.That(_world.Audit().Skip(before), Is.Empty);
    }

    [Test]
    [Order(5)]
    public async Task License_renewal_and_rollback_write_the_secret_and_roll_vantiq()
    {
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        var publicPem = rsa.ExportSubjectPublicKeyInfoPem();
        var licenseValue = "vantiq-license-" + Guid.NewGuid().ToString("N");
        _secretValues.Add(licenseValue);
        var license = Path.Combine(_inputs, "license.key");
        var publicKey = Path.Combine(_inputs, "public.pem");
        File.WriteAllText(license, licenseValue);
        File.WriteAllText(publicKey, publicPem);
        var before = (await _world.Client.CoreV1.ReadNamespacedSecretAsync("vantiq-license", "vantiq")).Data.ToDictionary(p => p.Key, p => SecretFingerprints.Of(p.Value));
        // The first renewal archives nothing from the folder (empty): a second one makes a dated set to roll back to.
        var first = Run("--target=RenewLicense", $"--license={license}", $"--public-key={publicKey}");
        Assert.That(first.ExitCode, Is.EqualTo(0), first.Output + first.Error);
        var firstFingerprints = (await _world.Client.CoreV1.ReadNamespacedSecretAsync("vantiq-license", "vantiq")).Data.ToDictionary(p => p.Key, p => SecretFingerprints.Of(p.Value));
        Assert.That(firstFingerprints, Is.Not.EqualTo(before));
        Assert.That(firstFingerprints["license.key"], Is.EqualTo(Sha(licenseValue)));

        var secondValue = "vantiq-license-" + Guid.NewGuid().ToString("N");
        _secretValues.Add(secondValue);
        File.WriteAllText(license, secondValue);
        var auditBefore = _world.Audit().Count;
        var second = Run("--target=RenewLicense", $"--license={license}", $"--public-key={publicKey}");
        Assert.That(second.ExitCode, Is.EqualTo(0), second.Output + second.Error);
        var audit = _world.Audit().Skip(auditBefore).ToList();
        var secretWrite = audit.FindIndex(a => a.Resource == "secrets" && a.Name == "vantiq-license" && a.Verb is "update" or "create");
        var restart = audit.FindIndex(a => a.Resource == "statefulsets" && a.Name == "vantiq" && a.Verb == "patch"
            && a.Body?["spec"]?["template"]?["metadata"]?["annotations"]?["kubectl.kubernetes.io/restartedAt"] is not null);
        Assert.That(secretWrite, Is.GreaterThanOrEqualTo(0), "the license secret was written");
        Assert.That(restart, Is.GreaterThan(secretWrite), "then vantiq was restarted (rollout restart)");
        await _world.WaitForReplicasAsync(("vantiq", 3));

        var rollback = Run("--target=RollbackLicense");
        Assert.That(rollback.ExitCode, Is.EqualTo(0), rollback.Output + rollback.Error);
        var back = (await _world.Client.CoreV1.ReadNamespacedSecretAsync("vantiq-license", "vantiq")).Data.ToDictionary(p => p.Key, p => SecretFingerprints.Of(p.Value));
        Assert.That(back, Is.EqualTo(firstFingerprints), "the rollback restored the previous license");
        Assert.That(_world.Audit().Count(a => a.Resource == "statefulsets" && a.Name == "vantiq" && a.Verb == "patch"
            && a.Body?["spec"]?["template"]?["metadata"]?["annotations"]?["kubectl.kubernetes.io/restartedAt"] is not null), Is.GreaterThanOrEqualTo(3));
        Assert.That(rollback.Output, Does.Contain("restarted"));
    }

    [Test]
    [Order(6)]
    public void Dry_run_prints_the_changes_and_changes_nothing()
    {
        var leaf = _pki.Leaf([Domain], notAfter: DateTimeOffset.UtcNow.AddDays(600));
        var (chain, key) = Inputs(leaf, "dryrun");
        var before = _world.Audit().Count;
        var files = Directory.GetFiles(_sensitive).Order().ToList();

        var run = Run("--target=RenewSslCertificate", $"--certificate={chain}", $"--key={key}", "--dryrun");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output + run.Error);
        Assert.That(run.Output, Does.Contain("replace secret vantiq/vantiq-ssl-cert").And.Contain("replace secret shared/default-ssl-cert"));
        Assert.That(_world.Audit().Skip(before), Is.Empty);
        Assert.That(Directory.GetFiles(_sensitive).Order().ToList(), Is.EqualTo(files));
    }

    [Test]
    [Order(7)]
    public async Task A_license_renewal_killed_during_the_restart_refuses_other_targets_and_the_rerun_finishes_it()
    {
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        var licenseValue = "vantiq-license-killed-" + Guid.NewGuid().ToString("N");
        _secretValues.Add(licenseValue);
        var license = Path.Combine(_inputs, "killed-license.key");
        var publicKey = Path.Combine(_inputs, "killed-public.pem");
        File.WriteAllText(license, licenseValue);
        File.WriteAllText(publicKey, rsa.ExportSubjectPublicKeyInfoPem());
        var archivedBefore = Directory.GetFiles(_sensitive, "license.key.*").Length;
        var restartsBefore = RestartPatches();
        _world.Cluster.Faults.NeverReadyPods.Add("^vantiq-2$");
        try
        {
            // Killed while it waits for the rollout: the files and the secret are new, the restart is under way.
            using var host = KillableHost.Start(_world.Workspace.Folder, "--cluster=test", "--target=RenewLicense", $"--license={license}", $"--public-key={publicKey}");
            await host.KillWhenAsync(() => Task.FromResult(RestartPatches() > restartsBefore), "the restart of vantiq");
            _killedOutputs.Add(host.Output);
        }
        finally
        {
            _world.Cluster.Faults.NeverReadyPods.Clear();
        }

        var record = await RecordAsync();
        Assert.That(record, Is.Not.Null, "the killed renewal left its record");
        Assert.That(record!.Target, Is.EqualTo("RenewLicense"));
        Assert.That(record.Input("license.key"), Is.EqualTo(Sha(licenseValue)), "the input is the file's fingerprint");
        Assert.That(record.TakenOf("archived"), Does.StartWith("license.key." + Today()).And.Contain(",public.pem." + Today()), "the dated names it archived");
        Assert.That(record.Mark("filesInstalled"), Is.Not.Null);
        Assert.That(record.Mark("secretsVerified"), Is.Not.Null);
        Assert.That(record.Mark("restarted"), Is.Null);
        Assert.That(record.ToJson(), Does.Not.Contain(licenseValue));

        // Meanwhile another mutating target is refused before it changes anything.
        var (chain, key) = Inputs(_pki.Leaf([Domain], notAfter: DateTimeOffset.UtcNow.AddDays(650)), "refused");
        var auditBefore = _world.Audit().Count;
        var other = Run("--target=RenewSslCertificate", $"--certificate={chain}", $"--key={key}");
        Assert.That(other.ExitCode, Is.EqualTo(2), other.Output + other.Error);
        Assert.That(other.Error, Does.Contain("records an unfinished RenewLicense").And.Contain("run RenewLicense again to finish it first"));
        var upgrade = Run("--target=UpgradePatch", "--to=1.30.11");
        Assert.That(upgrade.ExitCode, Is.EqualTo(2), upgrade.Output + upgrade.Error);
        Assert.That(upgrade.Error, Does.Contain("records an unfinished RenewLicense"));
        Assert.That(_world.Audit().Skip(auditBefore).Where(a => a.Verb is "create" or "update" or "patch" or "delete"), Is.Empty);

        await _world.Client.CoreV1.DeleteNamespacedPodAsync("vantiq-2", "vantiq");
        var restartsAfterKill = RestartPatches();
        var rerun = Run("--target=RenewLicense", $"--license={license}", $"--public-key={publicKey}");

        Assert.That(rerun.ExitCode, Is.EqualTo(0), rerun.Output + rerun.Error);
        Assert.That(rerun.Output, Does.Contain("are in place").And.Contain("not installed again"));
        Assert.That(Directory.GetFiles(_sensitive, "license.key.*"), Has.Length.EqualTo(archivedBefore + 1), "archived once, not again by the rerun");
        Assert.That(File.ReadAllText(Path.Combine(_sensitive, "license.key")), Is.EqualTo(licenseValue));
        var secret = await _world.Client.CoreV1.ReadNamespacedSecretAsync("vantiq-license", "vantiq");
        Assert.That(SecretFingerprints.Of(secret.Data["license.key"]), Is.EqualTo(Sha(licenseValue)));
        Assert.That(RestartPatches(), Is.GreaterThan(restartsAfterKill), "the rerun restarted vantiq");
        Assert.That(await RecordAsync(), Is.Null, "the operation is finished");
        await _world.WaitForReplicasAsync(("vantiq", 3));
    }

    [Test]
    [Order(8)]
    public async Task A_certificate_renewal_killed_before_the_served_certificate_is_seen_is_finished_by_the_rerun()
    {
        // An endpoint where nothing listens: the run keeps asking, and is killed there.
        var closed = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        closed.Start();
        var port = ((System.Net.IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        var leaf = _pki.Leaf([Domain], notAfter: DateTimeOffset.UtcNow.AddDays(700));
        var (chain, key) = Inputs(leaf, "killed");
        _world.WriteProfile($"  sensitiveFolder: {_sensitive}\n  domain: {Domain}\n  ingressEndpoint: 127.0.0.1:{port}\n");
        try
        {
            using var host = KillableHost.Start(_world.Workspace.Folder, "--cluster=test", "--target=RenewSslCertificate", $"--certificate={chain}", $"--key={key}");
            await host.KillWhenAsync(async () => (await RecordAsync())?.Mark("secretsVerified") is not null, "the secrets verified");
            _killedOutputs.Add(host.Output);
        }
        finally
        {
            _world.WriteProfile($"  sensitiveFolder: {_sensitive}\n  domain: {Domain}\n  ingressEndpoint: {_ingress.Endpoint}\n");
        }

        var record = await RecordAsync();
        Assert.That(record?.Target, Is.EqualTo("RenewSslCertificate"));
        Assert.That(record!.Input("fullchain.crt"), Is.EqualTo(Sha(leaf.FullChainPem)));
        Assert.That(record.Input("private.key"), Is.EqualTo(Sha(leaf.Pkcs8Pem)), "the key's fingerprint, never the key");
        Assert.That(record.TakenOf("archived"), Does.StartWith("fullchain.crt." + Today()));
        var archived = Directory.GetFiles(_sensitive, "fullchain.crt.*").Length;

        var rerun = Run("--target=RenewSslCertificate", $"--certificate={chain}", $"--key={key}");

        Assert.That(rerun.ExitCode, Is.EqualTo(0), rerun.Output + rerun.Error);
        Assert.That(rerun.Output, Does.Contain("not installed again").And.Contain("Served certificate at"));
        Assert.That(await ServedAsync(), Is.EqualTo(ValidatedCertificate.Fingerprint(leaf.Certificate)));
        Assert.That(Directory.GetFiles(_sensitive, "fullchain.crt.*"), Has.Length.EqualTo(archived));
        Assert.That(await RecordAsync(), Is.Null);
    }

    private int RestartPatches() => _world.Audit().Count(a => a.Resource == "statefulsets" && a.Name == "vantiq" && a.Verb == "patch"
        && a.Body?["spec"]?["template"]?["metadata"]?["annotations"]?["kubectl.kubernetes.io/restartedAt"] is not null);

    private async Task<OperationRecord?> RecordAsync() =>
        (await _world.AnnotationsAsync("vantiq")).TryGetValue(AnnotationStore.Operation, out var json) ? OperationRecord.Parse(json, "statefulset vantiq/vantiq") : null;

    private static string Today() => DateTime.UtcNow.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);

    [Test]
    [Order(100)]
    public void No_output_or_report_holds_a_secret_value()
    {
        Assert.That(_runs, Is.Not.Empty);
        Assert.That(_secretValues, Is.Not.Empty);
        // Every output (also of the killed runs), every report, and the API server's audit log: every request body,
        // the operation records and any exec's argv.
        var texts = _runs.SelectMany(r => new[] { r.Output, r.Error })
            .Concat(_killedOutputs)
            .Concat(_world.Workspace.RunFolders.SelectMany(f => Directory.GetFiles(f, "*", SearchOption.AllDirectories)).Select(File.ReadAllText))
            .Append(File.ReadAllText(_world.Cluster.AuditLogPath))
            .ToList();
        Assert.That(texts[^1], Does.Contain(AnnotationStore.Operation), "the audit log holds the operation records written");
        foreach (var value in _secretValues.Distinct())
            Assert.That(texts.Where(t => t.Contains(value, StringComparison.Ordinal)), Is.Empty, $"a secret value ({value[..6]}...) appeared");
    }
}

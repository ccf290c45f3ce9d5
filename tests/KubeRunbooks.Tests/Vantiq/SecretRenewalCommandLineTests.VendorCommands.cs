using k8s;
using KubeRunbooks.Certificates;
using KubeRunbooks.Tests.Support;

namespace KubeRunbooks.Tests.Vantiq;

// The vendor-command option (vantiq.secretCommands), on the same cluster and folder as the renewals above: a small
// script stands in for gradlew and writes the Secrets with kubectl; the tool still reads them back.
public sealed partial class SecretRenewalCommandLineTests
{
    // Stands in for the vendor's ./gradlew -Pcluster=NAME TASK: generateSecrets copies the sensitive folder, deployVantiq
    // and deployNginx write the Secrets from that copy with kubectl (files, never values, on its command lines).
    private const string Gradlew = """
        #!/bin/sh
        set -e
        k() { kubectl --kubeconfig "$KCFG" "$@"; }
        tls() { k delete secret "$2" -n "$1" --ignore-not-found >/dev/null; k create secret tls "$2" -n "$1" --cert="$3" --key="$4"; }
        case "$2" in
          generateSecrets) rm -rf build; mkdir build; cp "$SENS"/fullchain.crt "$SENS"/private.key build/; echo "gradlew: generated the secrets of ${1#-Pcluster=}" ;;
          deployVantiq) tls vantiq vantiq-ssl-cert build/fullchain.crt build/private.key ;;
          deployNginx) tls shared default-ssl-cert build/fullchain.crt build/private.key ;;
          deployVantiqStale) old=$(ls "$SENS"/fullchain.crt.2* | head -1); tls vantiq vantiq-ssl-cert "$old" "$SENS/private.key.${old##*fullchain.crt.}" ;;
          *) echo "gradlew: Task '$2' not found in root project 'k8sdeploy_tools'." >&2; exit 3 ;;
        esac
        """;

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private string WriteGradlew()
    {
        var tools = Path.Combine(_world.Workspace.Folder, "k8sdeploy_tools");
        Directory.CreateDirectory(tools);
        var script = Path.Combine(tools, "gradlew");
        File.WriteAllText(script, $"#!/bin/sh\nKCFG='{_world.Cluster.KubeconfigPath}' SENS='{_sensitive}' exec sh ./gradlew.sh \"$@\"\n");
        File.WriteAllText(Path.Combine(tools, "gradlew.sh"), Gradlew.Replace("\r", "", StringComparison.Ordinal));
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return tools;
    }

    private void WriteCommandsProfile(string tools, string deployVantiq = "deployVantiq", string deployNginx = "deployNginx") =>
        _world.WriteProfile($"  sensitiveFolder: {_sensitive}\n  domain: {Domain}\n  ingressEndpoint: {_ingress.Endpoint}\n" +
            $"  secretCommands:\n    generate: ./gradlew -Pcluster=test generateSecrets\n    deployVantiq: ./gradlew -Pcluster=test {deployVantiq}\n" +
            $"    deployNginx: ./gradlew -Pcluster=test {deployNginx}\n    workingDirectory: {tools}\n");

    // A renewal through the vendor commands with one of them replaced, the state before it noted; the default profile after.
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private async Task<(HostRun Run, List<string> FolderBefore, (string Crt, string Key) VantiqBefore, (string Crt, string Key) SharedBefore)>
        RenewWithFaultyCommandAsync(int validDays, string name, string deployVantiq = "deployVantiq", string deployNginx = "deployNginx")
    {
        var tools = WriteGradlew();
        var leaf = _pki.Leaf([Domain], notAfter: DateTimeOffset.UtcNow.AddDays(validDays));
        var (chain, key) = Inputs(leaf, name);
        var folderBefore = Folder();
        var vantiqBefore = await TlsFingerprintsAsync("vantiq", "vantiq-ssl-cert");
        var sharedBefore = await TlsFingerprintsAsync("shared", "default-ssl-cert");
        WriteCommandsProfile(tools, deployVantiq, deployNginx);
        try
        {
            return (Run("--target=RenewSslCertificate", $"--certificate={chain}", $"--key={key}"), folderBefore, vantiqBefore, sharedBefore);
        }
        finally
        {
            WriteDefaultProfile();
        }
    }

    private void WriteDefaultProfile() =>
        _world.WriteProfile($"  sensitiveFolder: {_sensitive}\n  domain: {Domain}\n  ingressEndpoint: {_ingress.Endpoint}\n");

    private List<string> Folder() => Directory.GetFiles(_sensitive).Select(f => $"{Path.GetFileName(f)} {Sha(File.ReadAllText(f))}").Order().ToList();

    [Test]
    [Order(9)]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task The_vendor_commands_write_the_secrets_and_the_tool_verifies_them()
    {
        var tools = WriteGradlew();
        var leaf = _pki.Leaf([Domain], notAfter: DateTimeOffset.UtcNow.AddDays(800));
        var (chain, key) = Inputs(leaf, "commands");
        WriteCommandsProfile(tools);
        try
        {
            var dry = Run("--target=RenewSslCertificate", $"--certificate={chain}", $"--key={key}", "--dryrun");
            Assert.That(dry.ExitCode, Is.EqualTo(0), dry.Output + dry.Error);
            Assert.That(dry.Output, Does.Contain($"run the secrets command generate: ./gradlew -Pcluster=test generateSecrets (in {tools})")
                .And.Contain("run the secrets command deployNginx: ./gradlew -Pcluster=test deployNginx").And.Contain("verify secret shared/default-ssl-cert"));

            var run = Run("--target=RenewSslCertificate", $"--certificate={chain}", $"--key={key}");

            Assert.That(run.ExitCode, Is.EqualTo(0), run.Output + run.Error);
            Assert.That(run.Output, Does.Contain("gradlew: generated the secrets of test"), "the command ran in its working folder, its output in the log");
            Assert.That(run.Output, Does.Contain("Verified secret vantiq/vantiq-ssl-cert").And.Contain("Verified secret shared/default-ssl-cert"));
            var expected = (Sha(leaf.FullChainPem), Sha(leaf.Pkcs8Pem));
            Assert.That(await TlsFingerprintsAsync("vantiq", "vantiq-ssl-cert"), Is.EqualTo(expected));
            Assert.That(await TlsFingerprintsAsync("shared", "default-ssl-cert"), Is.EqualTo(expected));
            var secret = await _world.Client.CoreV1.ReadNamespacedSecretAsync("vantiq-ssl-cert", "vantiq");
            Assert.That(secret.Metadata.Annotations?.ContainsKey(KubeRunbooks.Secrets.SecretWriter.WrittenByAnnotation) ?? false, Is.False, "kubectl wrote it, not the tool");
            Assert.That(await ServedAsync(), Is.EqualTo(ValidatedCertificate.Fingerprint(leaf.Certificate)));
            Assert.That(await RecordAsync(), Is.Null);
        }
        finally
        {
            WriteDefaultProfile();
        }
    }

    [Test]
    [Order(10)]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_vendor_command_that_fails_is_named_in_one_line_and_the_folder_and_secrets_are_put_back()
    {
        var (run, folderBefore, vantiqBefore, sharedBefore) = await RenewWithFaultyCommandAsync(900, "failing-command", deployNginx: "deployNginxBroken");

        Assert.That(run.ExitCode, Is.EqualTo(1), run.Output + run.Error);
        Assert.That(run.Output + run.Error, Does.Contain("The secrets command deployNginx './gradlew -Pcluster=test deployNginxBroken' exited with code 3"));
        Assert.That((run.Output + run.Error).Split('\n').Count(l => l.Contains("exited with code 3", StringComparison.Ordinal) && l.Contains("Put back:", StringComparison.Ordinal)),
            Is.GreaterThanOrEqualTo(1), "one line names the command and what was put back");
        Assert.That(run.Output + run.Error, Does.Contain("is as it was before this run"));
        Assert.That(Folder(), Is.EqualTo(folderBefore), "the sensitive files are rolled back");
        Assert.That(await TlsFingerprintsAsync("vantiq", "vantiq-ssl-cert"), Is.EqualTo(vantiqBefore), "deployVantiq had written it: put back");
        Assert.That(await TlsFingerprintsAsync("shared", "default-ssl-cert"), Is.EqualTo(sharedBefore));
        Assert.That(await RecordAsync(), Is.Null, "all put back: nothing is left unfinished");
    }

    [Test]
    [Order(11)]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_vendor_command_that_exits_0_but_writes_the_wrong_certificate_fails_the_step_and_names_the_secret()
    {
        var (run, folderBefore, vantiqBefore, _) = await RenewWithFaultyCommandAsync(1000, "stale-command", deployVantiq: "deployVantiqStale");

        Assert.That(run.ExitCode, Is.EqualTo(1), run.Output + run.Error);
        Assert.That(run.Output + run.Error, Does.Contain("The secrets commands (generate, deployVantiq, deployNginx) exited 0 but did not write the new files")
            .And.Contain("secret vantiq/vantiq-ssl-cert read back differs from what was written in tls.crt, tls.key"));
        Assert.That(Folder(), Is.EqualTo(folderBefore));
        Assert.That(await TlsFingerprintsAsync("vantiq", "vantiq-ssl-cert"), Is.EqualTo(vantiqBefore));
        Assert.That(_world.Audit().Any(a => a.Resource == "secrets" && a.Verb == "create" && a.Name == "vantiq-ssl-cert"), Is.True, "kubectl wrote the stale one");
        Assert.That(await RecordAsync(), Is.Null);
    }

    [Test]
    [Order(12)]
    public void A_secrets_command_section_without_deployNginx_is_refused_at_its_line()
    {
        _world.WriteProfile($"  sensitiveFolder: {_sensitive}\n  secretCommands:\n    generate: ./gradlew generateSecrets\n    deployVantiq: ./gradlew deployVantiq\n");
        try
        {
            var run = Run("--target=RollbackSslCertificate", "--dryrun");

            Assert.That(run.ExitCode, Is.EqualTo(2), run.Output + run.Error);
            Assert.That(run.Error.Trim(), Does.Match(@"^error: .*test\.yaml:\d+: vantiq\.secretCommands: deployNginx is required"));
        }
        finally
        {
            WriteDefaultProfile();
        }
    }

    [Test]
    [Order(13)]
    public void The_embedded_ingress_on_a_cluster_reached_by_kubeconfig_is_refused_before_any_change()
    {
        var leaf = _pki.Leaf([Domain], notAfter: DateTimeOffset.UtcNow.AddDays(1100));
        var (chain, key) = Inputs(leaf, "embedded-elsewhere");
        _world.WriteProfile($"  sensitiveFolder: {_sensitive}\n  domain: {Domain}\n  ingressEndpoint: embedded\n");
        var before = _world.Audit().Count;
        try
        {
            var run = Run("--target=RenewSslCertificate", $"--certificate={chain}", $"--key={key}");

            Assert.That(run.ExitCode, Is.EqualTo(2), run.Output + run.Error);
            Assert.That(run.Error.Trim(), Does.StartWith("error: vantiq.ingressEndpoint: embedded names the embedded simulated cluster's ingress, and profile 'test'"));
            Assert.That(_world.Audit().Skip(before), Is.Empty);
        }
        finally
        {
            WriteDefaultProfile();
        }
    }
}

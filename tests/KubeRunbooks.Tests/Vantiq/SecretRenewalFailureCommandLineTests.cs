using k8s;
using KubeRunbooks.Secrets;
using KubeRunbooks.Tests.Certificates;

namespace KubeRunbooks.Tests.Vantiq;

/// <summary>
/// A renewal that fails after the files were archived and the first Secret written (the second Secret's namespace does
/// not exist): exit 1, the first Secret and the sensitive folder put back as they were, and the message says so.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class SecretRenewalFailureCommandLineTests
{
    [Test]
    public async Task A_failure_after_the_archive_puts_the_secrets_and_the_folder_back()
    {
        using var pki = new TestPki();
        await using var world = await VantiqWorld.StartAsync();
        var sensitive = Path.Combine(world.Workspace.Folder, "sensitive");
        Directory.CreateDirectory(sensitive);
        File.WriteAllText(Path.Combine(sensitive, "fullchain.crt"), "old chain");
        File.WriteAllText(Path.Combine(sensitive, "private.key"), "old key");
        world.WriteProfile($"  sensitiveFolder: {sensitive}\n  sharedNamespace: nosuchnamespace\n");
        var leaf = pki.Leaf(["vantiq.example.com"], notAfter: DateTimeOffset.UtcNow.AddDays(400));
        var chain = Path.Combine(world.Workspace.Folder, "new.crt");
        var key = Path.Combine(world.Workspace.Folder, "new.key");
        File.WriteAllText(chain, leaf.FullChainPem);
        File.WriteAllText(key, leaf.Pkcs8Pem);
        var before = (await world.Client.CoreV1.ReadNamespacedSecretAsync("vantiq-ssl-cert", "vantiq")).Data.ToDictionary(p => p.Key, p => SecretFingerprints.Of(p.Value));

        var run = world.Run("--target=RenewSslCertificate", $"--certificate={chain}", $"--key={key}");

        Assert.That(run.ExitCode, Is.EqualTo(1), run.Output + run.Error);
        Assert.That(run.Output + run.Error, Does.Contain("Writing the secrets failed").And.Contain("back to its previous content").And.Contain("is as it was before this run"));
        var after = (await world.Client.CoreV1.ReadNamespacedSecretAsync("vantiq-ssl-cert", "vantiq")).Data.ToDictionary(p => p.Key, p => SecretFingerprints.Of(p.Value));
        Assert.That(after, Is.EqualTo(before), "the secret written first is back");
        Assert.That(world.Audit().Any(a => a.Resource == "secrets" && a.Name == "vantiq-ssl-cert" && a.Verb == "update"), Is.True, "it had been written");
        Assert.That(Directory.GetFiles(sensitive).Select(Path.GetFileName), Is.EquivalentTo(new[] { "fullchain.crt", "private.key" }));
        Assert.That(File.ReadAllText(Path.Combine(sensitive, "private.key")), Is.EqualTo("old key"));
        Assert.That(run.Output + run.Error, Does.Not.Contain(leaf.Pkcs8Pem.Split('\n')[1]));
    }
}

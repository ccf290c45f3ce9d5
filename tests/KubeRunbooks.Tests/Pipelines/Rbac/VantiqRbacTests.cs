using System.Security.Cryptography;
using k8s;
using KubeRunbooks.Tests.Certificates;
using KubeRunbooks.Tests.Support;
using KubeRunbooks.Tests.Vantiq;

namespace KubeRunbooks.Tests.Pipelines.Rbac;

/// <summary>
/// Every Vantiq target and ClusterInfo run by the service account holding exactly one manifest of <c>rbac/</c>, on one
/// RBAC-enforcing cluster of three workers shared by the fixture: each passes with its manifest and, with one needed
/// rule narrowed, is refused before its first request with one line naming the verb and resource, exit 2.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class VantiqRbacTests : RbacWorldFixture<VantiqWorld>
{
    private const string Domain = "vantiq.example.com";
    private string _inputs = null!;

    /// <inheritdoc />
    protected override async Task<VantiqWorld> StartWorldAsync()
    {
        var world = await VantiqWorld.StartAsync(nodes: ["worker-1", "worker-2", "worker-3"], enforceRbac: true);
        world.WriteProfile($"  sensitiveFolder: {Path.Combine(world.Workspace.Folder, "sensitive")}\n  domain: {Domain}\n");
        _inputs = Path.Combine(world.Workspace.Folder, "inputs");
        Directory.CreateDirectory(_inputs);
        return world;
    }

    private HostRun Run(params string[] args) => RunAsAccount(null, args);

    private Task PassesAsync(string manifest, params string[] args) => PassesWithAsync(manifest, null, args);

    private Task RefusedAsync(string manifest, string rule, string narrowed, string permission, string target, params string[] args) =>
        RefusedBeforeFirstRequestAsync(manifest, rule, narrowed, permission, target, null, args);

    [Test, Order(1)]
    public Task ClusterInfo_passes_with_its_role() => PassesAsync("cluster-info.yaml", "--target=ClusterInfo");

    [Test, Order(2)]
    public Task ClusterInfo_without_listing_pods_is_refused() =>
        RefusedAsync("cluster-info.yaml", "resources: [\"pods\"]\n    verbs: [\"list\"]", "resources: [\"pods\"]\n    verbs: [\"get\"]",
            "list pods cluster-wide", "ClusterInfo");

    [Test, Order(3)]
    public Task VerifyInstall_passes_with_its_role() => PassesAsync("vantiq-verify-install.yaml", "--target=VerifyInstall");

    [Test, Order(4)]
    public Task VerifyInstall_without_listing_services_is_refused() =>
        RefusedAsync("vantiq-verify-install.yaml", "resources: [\"services\"]\n    verbs: [\"list\"]", "resources: [\"services\"]\n    verbs: [\"get\"]",
            "list services cluster-wide", "VerifyInstall");

    [Test, Order(5)]
    public async Task Every_upgrade_rollback_and_MongoDB_target_passes_with_their_role()
    {
        await PassesAsync("vantiq-upgrade.yaml", "--target=UpgradeMinor", "--to=1.31.0");
        Assert.That(await World.TagAsync("vantiq", "vantiq"), Is.EqualTo("1.31.0"));
        var backup = PassesWithGrant("--target=MongoBackup");
        var backupId = MinorUpgradeCommandLineTests.Facts(backup.ReportFolder!)["backupId"];

        Assert.That(PassesWithGrant("--target=MongoRestore", $"--backup={backupId}").Output, Does.Contain($"mongorestore: restored {backupId}"));
        await World.WaitForReplicasAsync(("vantiq", 3), ("metrics-collector", 1), ("vision-analytics", 2));

        PassesWithGrant("--target=RollbackMinor");
        Assert.That(await World.TagAsync("vantiq", "vantiq"), Is.EqualTo("1.30.10"));
        await World.WaitForReplicasAsync(("vantiq", 3), ("metrics-collector", 1), ("vision-analytics", 2));

        PassesWithGrant("--target=UpgradePatch", "--to=1.30.11");
        Assert.That(await World.TagAsync("vantiq", "vantiq"), Is.EqualTo("1.30.11"));
        PassesWithGrant("--target=RollbackPatch");
        Assert.That(await World.TagAsync("vantiq", "vantiq"), Is.EqualTo("1.30.10"));
    }

    // A run with the grant already in place: passes, and not one request refused.
    private HostRun PassesWithGrant(params string[] args)
    {
        var mark = Account.Mark();
        var run = Run(args);
        RbacAssert.Passed(run, Account, mark);
        return run;
    }

    [Test, Order(6)]
    public Task UpgradePatch_without_scaling_is_refused() =>
        RefusedAsync("vantiq-upgrade.yaml", "resources: [\"statefulsets/scale\"]\n    verbs: [\"patch\"]", "resources: [\"statefulsets/scale\"]\n    verbs: [\"get\"]",
            "patch statefulsets.apps/scale in namespace vantiq", "UpgradePatch", "--to=1.31.1");

    [Test, Order(7)]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task The_renewals_and_their_rollbacks_pass_with_their_role()
    {
        using var pki = new TestPki();
        // The files in use before the renewals, as an install has them: the renewals archive them, the rollbacks return them.
        var sensitive = Path.Combine(World.Workspace.Folder, "sensitive");
        Directory.CreateDirectory(sensitive);
        var previous = pki.Leaf([Domain], notAfter: DateTimeOffset.UtcNow.AddDays(100));
        File.WriteAllText(Path.Combine(sensitive, "fullchain.crt"), previous.FullChainPem);
        File.WriteAllText(Path.Combine(sensitive, "private.key"), previous.Pkcs8Pem);
        File.SetUnixFileMode(Path.Combine(sensitive, "private.key"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        using var previousRsa = RSA.Create(2048);
        File.WriteAllText(Path.Combine(sensitive, "license.key"), "license-value-rbac-0000");
        File.WriteAllText(Path.Combine(sensitive, "public.pem"), previousRsa.ExportSubjectPublicKeyInfoPem());
        var leaf = pki.Leaf([Domain], notAfter: DateTimeOffset.UtcNow.AddDays(200));
        File.WriteAllText(Path.Combine(_inputs, "c.crt"), leaf.FullChainPem);
        File.WriteAllText(Path.Combine(_inputs, "c.key"), leaf.Pkcs8Pem);
        using var rsa = RSA.Create(2048);
        File.WriteAllText(Path.Combine(_inputs, "license.key"), "license-value-rbac-0001");
        File.WriteAllText(Path.Combine(_inputs, "public.pem"), rsa.ExportSubjectPublicKeyInfoPem());

        await PassesAsync("vantiq-secrets.yaml", "--target=RenewSslCertificate", $"--certificate={_inputs}/c.crt", $"--key={_inputs}/c.key");
        PassesWithGrant("--target=RenewLicense", $"--license={_inputs}/license.key", $"--public-key={_inputs}/public.pem");
        var renewed = await World.Client.CoreV1.ReadNamespacedSecretAsync("vantiq-license", "vantiq");

        // The rollbacks put back the values the renewals archived, and restart vantiq for the license.
        PassesWithGrant("--target=RollbackSslCertificate");
        PassesWithGrant("--target=RollbackLicense");
        var back = await World.Client.CoreV1.ReadNamespacedSecretAsync("vantiq-license", "vantiq");
        Assert.That(back.Data, Is.Not.EqualTo(renewed.Data), "the license the renewal replaced is back");
        Assert.That(File.ReadAllText(Path.Combine(sensitive, "fullchain.crt")), Is.EqualTo(previous.FullChainPem));
        Assert.That(File.ReadAllText(Path.Combine(sensitive, "license.key")), Is.EqualTo("license-value-rbac-0000"));
    }

    [Test, Order(8)]
    public Task A_renewal_without_writing_the_ingress_secret_is_refused() =>
        RefusedAsync("vantiq-secrets.yaml", "namespace: shared\nrules:\n  # The ingress's default-ssl-cert.\n  - apiGroups: [\"\"]\n    resources: [\"secrets\"]\n    verbs: [\"get\", \"create\", \"update\"]",
            "namespace: shared\nrules:\n  - apiGroups: [\"\"]\n    resources: [\"secrets\"]\n    verbs: [\"get\", \"create\"]",
            "update secrets in namespace shared", "RollbackSslCertificate");

    [Test, Order(9)]
    public async Task RebalancePods_passes_with_its_role()
    {
        await PassesAsync("vantiq-rebalance.yaml", "--target=RebalancePods", "--node=worker-1");
        Assert.That(await World.TaintedAsync("kuberunbooks.io/rebalance"), Is.Empty);
    }

    [Test, Order(10)]
    public Task RebalancePods_without_updating_nodes_is_refused() =>
        RefusedAsync("vantiq-rebalance.yaml", "resources: [\"nodes\"]\n    verbs: [\"get\", \"list\", \"update\"]", "resources: [\"nodes\"]\n    verbs: [\"get\", \"list\"]",
            "update nodes cluster-wide", "RebalancePods", "--node=worker-2");
}

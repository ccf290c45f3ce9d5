using KubeRunbooks.Tests.Support;

namespace KubeRunbooks.Tests.Simulator.Api;

/// <summary>
/// The simulated cluster's RBAC mode, driven by the real kubectl as an operator sets up a least-privilege account:
/// <c>create serviceaccount</c>, <c>create role</c>, <c>create rolebinding</c>, <c>create token</c>; then that token is
/// allowed what its Role grants and refused the rest with the real server's 403 wording, and <c>auth can-i</c> answers
/// for it. The kubeconfig's administrator is never restricted.
/// </summary>
[TestFixture]
public sealed class RbacEnforcementTests : ClusterFixture
{
    private const string Ns = "rbac-test";
    private const string User = "system:serviceaccount:rbac-test:runbook";
    private string _token = null!;

    /// <inheritdoc />
    protected override TestClusterBuilder Build() => TestCluster.ApiOnly().WithRbac();

    [OneTimeSetUp]
    public async Task SetUpAccountAsync()
    {
        await MustAsync("create", "namespace", Ns);
        await MustAsync("create", "serviceaccount", "runbook", "-n", Ns);
        await MustAsync("create", "role", "scaler", "-n", Ns, "--verb=get,list,watch", "--resource=pods,statefulsets");
        await MustAsync("create", "role", "scale-vantiq", "-n", Ns, "--verb=patch,update", "--resource=statefulsets/scale", "--resource-name=vantiq");
        await MustAsync("create", "clusterrole", "node-reader", "--verb=get,list", "--resource=nodes");
        await MustAsync("create", "rolebinding", "runbook-scaler", "-n", Ns, "--role=scaler", $"--serviceaccount={Ns}:runbook");
        await MustAsync("create", "rolebinding", "runbook-scale-vantiq", "-n", Ns, "--role=scale-vantiq", $"--serviceaccount={Ns}:runbook");
        await MustAsync("create", "clusterrolebinding", "runbook-nodes", "--clusterrole=node-reader", $"--serviceaccount={Ns}:runbook");
        _token = (await MustAsync("create", "token", "runbook", "-n", Ns)).Stdout.Trim();
    }

    [Test]
    public async Task What_the_roles_grant_is_allowed()
    {
        var pods = await AsRunbookAsync("get", "pods", "-n", Ns);
        var nodes = await AsRunbookAsync("get", "nodes");

        Assert.That(pods.ExitCode, Is.Zero, pods.Stderr);
        Assert.That(pods.Stderr, Does.Contain("No resources found in rbac-test namespace."));
        Assert.That(nodes.ExitCode, Is.Zero, nodes.Stderr);
    }

    [Test]
    public async Task A_list_the_roles_do_not_grant_is_forbidden_in_the_real_servers_words()
    {
        var result = await AsRunbookAsync("get", "secrets", "-n", Ns);

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Stderr.Trim(), Is.EqualTo(
            $"Error from server (Forbidden): secrets is forbidden: User \"{User}\" cannot list resource \"secrets\" in API group \"\" in the namespace \"{Ns}\""));
    }

    [Test]
    public async Task A_create_in_another_group_names_the_qualified_resource_and_changes_nothing()
    {
        var result = await AsRunbookAsync("create", "deployment", "web", "--image=nginx", "-n", Ns);
        var after = await Kubectl.RunAsync("get", "deployments", "-n", Ns, "-o", "name");

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Stderr, Does.Contain(
            $"deployments.apps is forbidden: User \"{User}\" cannot create resource \"deployments\" in API group \"apps\" in the namespace \"{Ns}\""));
        Assert.That(after.Stdout, Is.Empty, "nothing was created");
    }

    [Test]
    public async Task Cluster_scoped_refusals_say_at_the_cluster_scope()
    {
        var result = await AsRunbookAsync("get", "namespaces");

        Assert.That(result.Stderr, Does.Contain($"namespaces is forbidden: User \"{User}\" cannot list resource \"namespaces\" in API group \"\" at the cluster scope"));
    }

    [Test]
    public async Task Can_i_answers_for_the_token_including_subresources_and_resource_names()
    {
        Assert.Multiple(async () =>
        {
            Assert.That((await AsRunbookAsync("auth", "can-i", "list", "pods", "-n", Ns)).Stdout, Is.EqualTo("yes\n"));
            Assert.That((await AsRunbookAsync("auth", "can-i", "delete", "pods", "-n", Ns)).ExitCode, Is.EqualTo(1));
            Assert.That((await AsRunbookAsync("auth", "can-i", "patch", "statefulsets/vantiq", "--subresource=scale", "-n", Ns)).Stdout, Is.EqualTo("yes\n"));
            Assert.That((await AsRunbookAsync("auth", "can-i", "patch", "statefulsets/other", "--subresource=scale", "-n", Ns)).Stdout, Is.EqualTo("no\n"));
            Assert.That((await AsRunbookAsync("auth", "can-i", "create", "pods", "--subresource=exec", "-n", Ns)).Stdout, Is.EqualTo("no\n"));
            Assert.That((await AsRunbookAsync("auth", "can-i", "list", "pods", "-n", "default")).Stdout, Is.EqualTo("no\n"), "a RoleBinding grants in its namespace only");
            Assert.That((await Kubectl.RunAsync("auth", "can-i", "delete", "namespaces")).Stdout, Is.EqualTo("yes\n"), "the administrator is not restricted");
        });
    }

    [Test]
    public async Task A_token_that_was_never_issued_is_unauthorized()
    {
        var result = await Kubectl.RunAsync("--token=sa.not-issued", "get", "pods", "-n", Ns);

        Assert.That(result.Stderr, Does.Contain("Unauthorized"));
    }

    private Task<KubectlResult> AsRunbookAsync(params string[] args) => Kubectl.RunAsync(["--token=" + _token, .. args]);

    private async Task<KubectlResult> MustAsync(params string[] args)
    {
        var result = await Kubectl.RunAsync(args);
        Assert.That(result.ExitCode, Is.Zero, $"kubectl {string.Join(' ', args)}: {result.Stderr}");
        return result;
    }
}

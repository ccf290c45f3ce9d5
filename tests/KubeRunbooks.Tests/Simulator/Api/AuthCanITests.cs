using KubeRunbooks.Simulator.Authorization;
using KubeRunbooks.Simulator.Server;

namespace KubeRunbooks.Tests.Simulator.Api;

/// <summary>
/// <c>kubectl auth can-i</c> (a SelfSubjectAccessReview sent as protobuf) against a cluster whose
/// authorizer allows everything but deleting Secrets, so that both answers are seen.
/// </summary>
[TestFixture]
public sealed class AuthCanITests
{
    private SimulatedCluster _cluster = null!;
    private Kubectl _kubectl = null!;
    private string _root = null!;
    private RecordingAuthorizer _authorizer = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _root = Path.Combine(Path.GetTempPath(), "kr-authz-" + Guid.NewGuid().ToString("N")[..12]);
        _authorizer = new RecordingAuthorizer();
        _cluster = await SimulatedCluster.StartAsync(new SimulatedClusterOptions { RootFolder = _root, Authorizer = _authorizer });
        _kubectl = new Kubectl(_cluster.KubeconfigPath, Path.Combine(_root, "kubectl-cache"));
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _cluster.DisposeAsync();
        try { Directory.Delete(_root, recursive: true); }
        catch (IOException) { /* a leftover temp folder is harmless */ }
    }

    [Test]
    public async Task Can_i_says_yes_for_what_the_authorizer_allows()
    {
        var result = await _kubectl.RunAsync("auth", "can-i", "patch", "statefulsets", "-n", "vantiq", "--subresource=scale");

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.Zero, result.Stderr);
            Assert.That(result.Stdout, Is.EqualTo("yes\n"));
            Assert.That(_authorizer.Last! with { User = null }, Is.EqualTo(new AccessAttributes("patch", "apps", "statefulsets", "scale", "vantiq", null, null)));
            Assert.That(_authorizer.Last!.User, Is.EqualTo(RequestUser.Admin), "the review asks for whoever sent it");
        });
    }

    [Test]
    public async Task Can_i_says_no_and_exits_1_for_what_the_authorizer_denies()
    {
        var result = await _kubectl.RunAsync("auth", "can-i", "delete", "secrets", "-n", "shared");

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(1));
            Assert.That(result.Stdout, Is.EqualTo("no - secrets are kept\n"), "kubectl prints the denial reason after no");
        });
    }

    [Test]
    public async Task Can_i_on_a_non_resource_url_is_answered()
    {
        var result = (await _kubectl.RunAsync("auth", "can-i", "get", "/healthz")).EnsureSuccess();

        Assert.Multiple(() =>
        {
            Assert.That(result.Stdout, Is.EqualTo("yes\n"));
            Assert.That(_authorizer.Last!.Path, Is.EqualTo("/healthz"));
        });
    }

    [Test]
    public void The_default_authorizer_allows_everything()
    {
        var decision = AllowAllAuthorizer.Instance.Decide(new AccessAttributes("delete", "", "namespaces", null, null, "kube-system", null));

        Assert.That(decision.Allowed, Is.True);
    }

    private sealed class RecordingAuthorizer : IAuthorizer
    {
        public AccessAttributes? Last { get; private set; }

        public AccessDecision Decide(AccessAttributes attributes)
        {
            Last = attributes;
            return attributes is { Verb: "delete", Resource: "secrets" } ? new AccessDecision(false, "secrets are kept") : new AccessDecision(true, "");
        }
    }
}

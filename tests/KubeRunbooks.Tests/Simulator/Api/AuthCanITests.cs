using KubeRunbooks.Simulator.Authorization;
using KubeRunbooks.Tests.Support;

namespace KubeRunbooks.Tests.Simulator.Api;

/// <summary>
/// <c>kubectl auth can-i</c> (a SelfSubjectAccessReview sent as protobuf) against a cluster whose
/// authorizer allows everything but deleting Secrets, so that both answers are seen.
/// </summary>
[TestFixture]
public sealed class AuthCanITests : ClusterFixture
{
    private readonly RecordingAuthorizer _authorizer = new();

    /// <inheritdoc />
    protected override TestClusterBuilder Build() => TestCluster.ApiOnly().WithAuthorizer(_authorizer);

    [Test]
    public async Task Can_i_says_yes_for_what_the_authorizer_allows()
    {
        var result = await Kubectl.RunAsync("auth", "can-i", "patch", "statefulsets", "-n", "vantiq", "--subresource=scale");

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
        var result = await Kubectl.RunAsync("auth", "can-i", "delete", "secrets", "-n", "shared");

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(1));
            Assert.That(result.Stdout, Is.EqualTo("no - secrets are kept\n"), "kubectl prints the denial reason after no");
        });
    }

    [Test]
    public async Task Can_i_on_a_non_resource_url_is_answered()
    {
        var result = (await Kubectl.RunAsync("auth", "can-i", "get", "/healthz")).EnsureSuccess();

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

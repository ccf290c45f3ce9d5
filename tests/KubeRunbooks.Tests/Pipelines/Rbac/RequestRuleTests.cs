using KubeRunbooks.Kubernetes.Access;

namespace KubeRunbooks.Tests.Pipelines.Rbac;

/// <summary>The permission a request needs, read from method and URL as the API server's authorizer reads it.</summary>
public sealed class RequestRuleTests
{
    [TestCase("GET", "/apis/apps/v1/namespaces/kqi/deployments/web", "get deployments.apps \"web\" in namespace kqi")]
    [TestCase("GET", "/api/v1/namespaces/kqi/pods?labelSelector=app%3Dx", "list pods in namespace kqi")]
    [TestCase("GET", "/api/v1/namespaces/kqi/pods?watch=true", "watch pods in namespace kqi")]
    [TestCase("GET", "/api/v1/nodes", "list nodes cluster-wide")]
    [TestCase("PATCH", "/api/v1/nodes/worker-1", "patch nodes \"worker-1\" cluster-wide")]
    [TestCase("GET", "/api/v1/namespaces/kqi", "get namespaces \"kqi\" cluster-wide")]
    [TestCase("POST", "/api/v1/namespaces/kqi/pods/db-0/exec?command=sh", "create pods/exec \"db-0\" in namespace kqi")]
    [TestCase("GET", "/api/v1/namespaces/kqi/pods/db-0/exec?command=sh", "create pods/exec \"db-0\" in namespace kqi")]
    [TestCase("PATCH", "/apis/apps/v1/namespaces/v/statefulsets/vantiq/scale", "patch statefulsets.apps/scale \"vantiq\" in namespace v")]
    [TestCase("DELETE", "/api/v1/namespaces/kqi/pods", "deletecollection pods in namespace kqi")]
    [TestCase("POST", "/apis/apps.openshift.io/v1/namespaces/3scale/deploymentconfigs/system-app/instantiate", "create deploymentconfigs.apps.openshift.io/instantiate \"system-app\" in namespace 3scale")]
    public void The_rule_names_verb_resource_and_scope(string method, string path, string expected)
    {
        var rule = RequestRule.Of(new HttpMethod(method), new Uri("https://127.0.0.1:6443" + path));

        Assert.That(rule?.Describe(), Is.EqualTo(expected));
    }

    [TestCase("/version")]
    [TestCase("/apis")]
    [TestCase("/api/v1")]
    [TestCase("/openapi/v2")]
    public void A_path_that_names_no_resource_has_no_rule(string path) =>
        Assert.That(RequestRule.Of(HttpMethod.Get, new Uri("https://127.0.0.1:6443" + path)), Is.Null);
}

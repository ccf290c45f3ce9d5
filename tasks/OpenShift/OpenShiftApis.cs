using KubeRunbooks.Kubernetes.Workloads;

namespace KubeRunbooks.Tasks.OpenShift;

/// <summary>The OpenShift APIs the runbooks use beside Kubernetes' own.</summary>
public static class OpenShiftApis
{
    /// <summary>
    /// <c>apps.openshift.io/v1</c> DeploymentConfigs (<c>oc rollout latest dc/NAME</c>); their pods carry the label
    /// <c>deployment=NAME-N</c> of their version.
    /// </summary>
    public static readonly DeploymentConfigApi DeploymentConfigs = new("apps.openshift.io", "v1", "deploymentconfigs", "deployment");
}

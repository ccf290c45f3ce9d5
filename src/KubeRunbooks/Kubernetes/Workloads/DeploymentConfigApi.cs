namespace KubeRunbooks.Kubernetes.Workloads;

/// <summary>
/// Where a cluster serves DeploymentConfigs, the workload kind some distributions add beside Deployments (rolled out
/// by raising <c>status.latestVersion</c>, its pods labelled with their version <c>NAME-N</c>). The product module
/// that knows the distribution hands it to <see cref="WorkloadRollout"/>; the library names no distribution.
/// </summary>
/// <param name="Group">The API group.</param>
/// <param name="Version">The API version.</param>
/// <param name="Plural">The resource's plural name.</param>
/// <param name="VersionLabel">The pod label whose value is the version a pod belongs to (<c>NAME-N</c>).</param>
public sealed record DeploymentConfigApi(string Group, string Version, string Plural, string VersionLabel);

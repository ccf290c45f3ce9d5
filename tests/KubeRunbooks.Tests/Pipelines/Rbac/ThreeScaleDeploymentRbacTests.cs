namespace KubeRunbooks.Tests.Pipelines.Rbac;

/// <summary>
/// The operator's install (Deployments, PostgreSQL) under RBAC: the <c>deployments</c> rules of the restore manifest,
/// which only this variant uses (a rollout restart reads the Deployment, patches it, then lists and watches it
/// until its new pods are ready): the run found list and watch missing from the manifest reasoned from code.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ThreeScaleDeploymentRbacTests() : ThreeScaleRbacTests("threescale-deployments")
{
    [Test, Order(2)]
    public Task Without_patching_deployments_the_restore_is_refused_before_its_first_request() =>
        RefusedAsync("threescale-restore.yaml", "resources: [\"deployments\"]\n    verbs: [\"get\", \"list\", \"watch\", \"patch\"]", "resources: [\"deployments\"]\n    verbs: [\"get\", \"list\", \"watch\"]",
            "patch deployments.apps in namespace 3scale", "ThreeScaleRestore");
}

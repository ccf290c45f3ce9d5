namespace KubeRunbooks.Tests.Pipelines.Rbac;

/// <summary>The seed's install (DeploymentConfigs, MariaDB, two Redis) under RBAC: the DeploymentConfig and Secret rules.</summary>
[TestFixture]
[NonParallelizable]
public sealed class ThreeScaleDeploymentConfigRbacTests() : ThreeScaleRbacTests("threescale")
{
    [TestCase("threescale-backup.yaml", "resources: [\"secrets\", \"configmaps\"]\n    verbs: [\"get\"]", "resources: [\"configmaps\"]\n    verbs: [\"get\"]",
        "get secrets in namespace 3scale", "ThreeScaleBackup")]
    [TestCase("threescale-restore.yaml", "resources: [\"deploymentconfigs/status\"]\n    verbs: [\"patch\"]", "resources: [\"deploymentconfigs/status\"]\n    verbs: [\"get\"]",
        "patch deploymentconfigs.apps.openshift.io/status in namespace 3scale", "ThreeScaleRestore")]
    [Order(2)]
    public Task With_one_rule_narrowed_the_target_is_refused_before_its_first_request(string manifest, string rule, string narrowed, string permission, string target) =>
        RefusedAsync(manifest, rule, narrowed, permission, target);
}

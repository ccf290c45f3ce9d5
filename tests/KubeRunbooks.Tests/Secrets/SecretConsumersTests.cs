using k8s.Models;
using KubeRunbooks.Secrets;

namespace KubeRunbooks.Tests.Secrets;

/// <summary>Which pod specs read a Secret: env, envFrom and volumes, in containers and init containers.</summary>
[TestFixture]
public sealed class SecretConsumersTests
{
    [Test]
    public void Every_way_a_pod_reads_a_secret_counts_and_other_secrets_do_not()
    {
        V1PodSpec With(V1Container container, IList<V1Volume>? volumes = null, bool init = false) => new()
        {
            Containers = init ? [new V1Container { Name = "main" }] : [container],
            InitContainers = init ? [container] : null,
            Volumes = volumes,
        };
        var env = new V1Container { Name = "c", Env = [new V1EnvVar { Name = "P", ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = "db", Key = "k" } } }] };
        var envFrom = new V1Container { Name = "c", EnvFrom = [new V1EnvFromSource { SecretRef = new V1SecretEnvSource { Name = "db" } }] };
        var other = new V1Container { Name = "c", EnvFrom = [new V1EnvFromSource { SecretRef = new V1SecretEnvSource { Name = "other" } }] };

        Assert.Multiple(() =>
        {
            Assert.That(SecretConsumers.Reads(With(env), "db"), Is.True);
            Assert.That(SecretConsumers.Reads(With(envFrom, init: true), "db"), Is.True);
            Assert.That(SecretConsumers.Reads(With(new V1Container { Name = "c" }, [new V1Volume { Name = "v", Secret = new V1SecretVolumeSource { SecretName = "db" } }]), "db"), Is.True);
            Assert.That(SecretConsumers.Reads(With(other), "db"), Is.False);
        });
    }
}

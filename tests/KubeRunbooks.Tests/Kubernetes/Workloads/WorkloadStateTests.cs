using k8s.Models;
using KubeRunbooks.Kubernetes.Workloads;

namespace KubeRunbooks.Tests.Kubernetes.Workloads;

[TestFixture]
public class WorkloadStateTests
{
    private static V1StatefulSet Sts(int replicas, int ready, int existing, long generation = 4, long observed = 4) => new()
    {
        Metadata = new V1ObjectMeta { Name = "vantiq", NamespaceProperty = "vantiq", Generation = generation, Annotations = new Dictionary<string, string> { ["a"] = "b" } },
        Spec = new V1StatefulSetSpec
        {
            Replicas = replicas,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "vantiq", ["tier"] = "server" } },
            Template = new V1PodTemplateSpec
            {
                Spec = new V1PodSpec
                {
                    Containers = [new V1Container { Name = "vantiq", Image = "quay.io/v/vantiq:1.30.10" }],
                    InitContainers = [new V1Container { Name = "load-model", Image = "quay.io/v/model:1.30.10" }],
                },
            },
        },
        Status = new V1StatefulSetStatus { Replicas = existing, ReadyReplicas = ready, ObservedGeneration = observed },
    };

    [Test]
    public void Reads_the_fields_waiting_needs_from_a_StatefulSet()
    {
        var state = WorkloadState.From(Sts(3, 2, 3));
        Assert.That(state.Ref, Is.EqualTo(WorkloadRef.StatefulSet("vantiq", "vantiq")));
        Assert.That(state.DesiredReplicas, Is.EqualTo(3));
        Assert.That(state.PodSelector, Is.EqualTo("app=vantiq,tier=server"));
        Assert.That(state.Annotations["a"], Is.EqualTo("b"));
    }

    [Test]
    public void Ready_only_when_generation_observed_and_counts_match()
    {
        Assert.That(WorkloadState.From(Sts(1, 1, 1)).HasReadyReplicas(1), Is.True);
        Assert.That(WorkloadState.From(Sts(1, 1, 1, generation: 5, observed: 4)).HasReadyReplicas(1), Is.False, "stale generation");
        Assert.That(WorkloadState.From(Sts(1, 1, 3)).HasReadyReplicas(1), Is.False, "extra pods still terminating");
        Assert.That(WorkloadState.From(Sts(3, 3, 3)).HasReadyReplicas(1), Is.False, "spec not yet scaled");
    }

    [Test]
    public void Finds_container_and_init_container_images()
    {
        var state = WorkloadState.From(Sts(1, 1, 1));
        Assert.That(WorkloadOperations.FindImage(state, "vantiq", out var init).Tag, Is.EqualTo("1.30.10"));
        Assert.That(init, Is.False);
        Assert.That(WorkloadOperations.FindImage(state, "load-model", out init).Repository, Is.EqualTo("quay.io/v/model"));
        Assert.That(init, Is.True);
    }

    [Test]
    public void A_missing_container_is_one_line_naming_it()
    {
        var state = WorkloadState.From(Sts(1, 1, 1));
        Assert.That(() => WorkloadOperations.FindImage(state, "nope", out _),
            Throws.InstanceOf<WorkloadNotFoundException>().With.Message.EqualTo("statefulset vantiq/vantiq has no container named nope."));
    }
}

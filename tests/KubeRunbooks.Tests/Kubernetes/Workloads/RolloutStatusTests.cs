using k8s.Models;
using KubeRunbooks.Kubernetes.Workloads;

namespace KubeRunbooks.Tests.Kubernetes.Workloads;

[TestFixture]
public class RolloutStatusTests
{
    private static V1StatefulSet Sts(int replicas = 3, long generation = 2, long observed = 2, int ready = 3, int updated = 3,
        string current = "r2", string update = "r2", string? strategy = "RollingUpdate", int? partition = null, bool rolling = false) => new()
    {
        Metadata = new V1ObjectMeta { Name = "vantiq", Generation = generation },
        Spec = new V1StatefulSetSpec
        {
            Replicas = replicas,
            UpdateStrategy = new V1StatefulSetUpdateStrategy
            {
                Type = strategy,
                RollingUpdate = rolling || partition is not null ? new V1RollingUpdateStatefulSetStrategy { Partition = partition } : null,
            },
        },
        Status = new V1StatefulSetStatus { ObservedGeneration = observed, ReadyReplicas = ready, UpdatedReplicas = updated, CurrentRevision = current, UpdateRevision = update, CurrentReplicas = ready, Replicas = replicas },
    };

    [Test]
    public void StatefulSet_done_when_all_ready_on_one_revision()
    {
        var state = RolloutStatus.Of(Sts());
        Assert.That(state.Done, Is.True);
        Assert.That(state.Message, Is.EqualTo("statefulset rolling update complete 3 pods at revision r2..."));
    }

    [Test]
    public void StatefulSet_waits_for_the_generation_to_be_observed()
    {
        Assert.That(RolloutStatus.Of(Sts(generation: 3, observed: 2)).Done, Is.False);
        Assert.That(RolloutStatus.Of(Sts(observed: 0)).Message, Is.EqualTo("Waiting for statefulset spec update to be observed..."));
    }

    [Test]
    public void StatefulSet_waits_for_ready_replicas()
    {
        var state = RolloutStatus.Of(Sts(ready: 1));
        Assert.That(state.Done, Is.False);
        Assert.That(state.Message, Is.EqualTo("Waiting for 2 pods to be ready..."));
    }

    [Test]
    public void StatefulSet_waits_while_revisions_differ()
    {
        var state = RolloutStatus.Of(Sts(current: "r1", update: "r2", updated: 1));
        Assert.That(state.Done, Is.False);
        Assert.That(state.Message, Does.Contain("revision r2"));
    }

    [Test]
    public void StatefulSet_with_rollingUpdate_counts_updated_replicas_against_the_partition()
    {
        Assert.That(RolloutStatus.Of(Sts(rolling: true, updated: 2, current: "r1", update: "r2")).Done, Is.False, "partition defaults to 0: all 3 must be updated");
        Assert.That(RolloutStatus.Of(Sts(rolling: true, updated: 3, current: "r1", update: "r2")).Done, Is.True);
        Assert.That(RolloutStatus.Of(Sts(partition: 2, updated: 1, current: "r1", update: "r2")).Done, Is.True);
        Assert.That(RolloutStatus.Of(Sts(partition: 1, updated: 1, current: "r1", update: "r2")).Done, Is.False);
    }

    [Test]
    public void StatefulSet_with_OnDelete_is_an_error()
    {
        Assert.That(() => RolloutStatus.Of(Sts(strategy: "OnDelete")),
            Throws.InstanceOf<RolloutFailedException>().With.Message.Contains("only available for the RollingUpdate strategy"));
    }

    [Test]
    public void StatefulSet_without_a_strategy_is_treated_as_RollingUpdate()
    {
        Assert.That(RolloutStatus.Of(Sts(strategy: null)).Done, Is.True);
    }

    private static V1Deployment Dep(int replicas = 2, long generation = 1, long observed = 1, int updated = 2, int existing = 2, int available = 2, string? reason = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "web", Generation = generation },
        Spec = new V1DeploymentSpec { Replicas = replicas },
        Status = new V1DeploymentStatus
        {
            ObservedGeneration = observed, UpdatedReplicas = updated, Replicas = existing, AvailableReplicas = available,
            Conditions = reason is null ? null : [new V1DeploymentCondition { Type = "Progressing", Status = "False", Reason = reason }],
        },
    };

    [Test]
    public void Deployment_done_when_updated_available_and_no_old_pods()
    {
        Assert.That(RolloutStatus.Of(Dep()), Is.EqualTo(new RolloutState(true, "deployment \"web\" successfully rolled out")));
    }

    [TestCase(2, 1, 1, 2, 2, 2, "spec update to be observed")]
    [TestCase(1, 1, 1, 2, 2, 2, "1 out of 2 new replicas have been updated")]
    [TestCase(1, 1, 2, 3, 2, 2, "1 old replicas are pending termination")]
    [TestCase(1, 1, 2, 2, 1, 2, "1 of 2 updated replicas are available")]
    public void Deployment_waits_with_kubectls_message(long generation, long observed, int updated, int existing, int available, int replicas, string message)
    {
        var state = RolloutStatus.Of(Dep(replicas: replicas, generation: generation, observed: observed, updated: updated, existing: existing, available: available));
        Assert.That(state.Done, Is.False);
        Assert.That(state.Message, Does.Contain(message));
    }

    [Test]
    public void Deployment_past_its_progress_deadline_is_an_error()
    {
        Assert.That(() => RolloutStatus.Of(Dep(reason: "ProgressDeadlineExceeded")),
            Throws.InstanceOf<RolloutFailedException>().With.Message.EqualTo("deployment web exceeded its progress deadline."));
    }
}

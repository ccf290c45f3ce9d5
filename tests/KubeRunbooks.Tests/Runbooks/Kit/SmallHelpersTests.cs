using k8s.Models;
using KubeRunbooks.Kubernetes.Jobs;
using KubeRunbooks.Kubernetes.Workloads;
using KubeRunbooks.Runbooks;

namespace KubeRunbooks.Tests.Runbooks.Kit;

/// <summary>The small helpers every runbook shares: command text, first pod, version container, "a completed run of that CronJob".</summary>
[TestFixture]
public sealed class SmallHelpersTests
{
    [Test]
    public void The_command_text_leaves_out_arguments_without_a_value()
    {
        Assert.That(RunbookCommand.Text("RollbackMinor", "prod", ("backup", "b-1")), Is.EqualTo("./build.sh --target=RollbackMinor --cluster=prod --backup=b-1"));
        Assert.That(RunbookCommand.Text("RollbackMinor", "prod", ("backup", null)), Is.EqualTo("./build.sh --target=RollbackMinor --cluster=prod"));
        Assert.That(RunbookCommand.Text("Up", "c", ("to", "1.2.3"), ("fresh", "true")), Is.EqualTo("./build.sh --target=Up --cluster=c --to=1.2.3 --fresh=true"));
    }

    [Test]
    public void The_first_pod_is_a_StatefulSet_s_ordinal_zero_and_a_Deployment_has_none()
    {
        Assert.That(WorkloadRef.StatefulSet("ns", "db").FirstPodName, Is.EqualTo("db-0"));
        Assert.That(() => WorkloadRef.Deployment("ns", "web").FirstPodName, Throws.InvalidOperationException.With.Message.Contains("deployment ns/web"));
    }

    [Test]
    public void The_version_container_is_the_named_one_then_the_repository_s_then_the_first()
    {
        static WorkloadState State(params (string Name, string Image)[] containers) => new(
            WorkloadRef.StatefulSet("ns", "app"), 1, 1, 1, 1, 1, new Dictionary<string, string>(), new Dictionary<string, string>(),
            containers.Select(c => new V1Container { Name = c.Name, Image = c.Image }).ToList(), []);

        Assert.That(VersionContainer.Find(State(("sidecar", "proxy:1"), ("app", "r/app:2")), "app", "r/app")!.Name, Is.EqualTo("app"));
        Assert.That(VersionContainer.Find(State(("sidecar", "proxy:1"), ("server", "quay.io/r/app:2")), "app", "r/app")!.Name, Is.EqualTo("server"));
        Assert.That(VersionContainer.Find(State(("sidecar", "proxy:1")), "app", "r/app")!.Name, Is.EqualTo("sidecar"));
        Assert.That(VersionContainer.Find(State(), "app", "r/app"), Is.Null);
    }

    [TestCase("mongobackup", "Complete", true)]
    [TestCase("mongobackup", "Failed", false)]
    [TestCase("mongobackup", null, false)]
    [TestCase("other", "Complete", false)]
    public void A_completed_run_of_a_CronJob_is_owned_by_it_and_Complete(string owner, string? condition, bool expected)
    {
        var job = new V1Job
        {
            Metadata = new V1ObjectMeta { Name = "j", OwnerReferences = [new V1OwnerReference { Kind = "CronJob", Name = owner, ApiVersion = "batch/v1", Uid = "u" }] },
            Status = new V1JobStatus { Conditions = condition is null ? null : [new V1JobCondition { Type = condition, Status = "True" }] },
        };

        Assert.That(CronJobRuns.IsCompletedRunOf(job, "mongobackup"), Is.EqualTo(expected));
        Assert.That(CronJobRuns.StateOf(job), Is.EqualTo(condition ?? "still running"));
    }
}

using k8s.Models;
using KubeRunbooks.Kubernetes.Jobs;

namespace KubeRunbooks.Tests.Kubernetes.Jobs;

[TestFixture]
public class JobTemplatesTests
{
    private static V1CronJob CronJob() => new()
    {
        Metadata = new V1ObjectMeta { Name = "mongobackup", NamespaceProperty = "vantiq", Uid = "uid-123", Labels = new Dictionary<string, string> { ["cron"] = "label" } },
        Spec = new V1CronJobSpec
        {
            Schedule = "0 1 * * *",
            JobTemplate = new V1JobTemplateSpec
            {
                Metadata = new V1ObjectMeta
                {
                    Labels = new Dictionary<string, string> { ["app"] = "mongobackup" },
                    Annotations = new Dictionary<string, string> { ["team"] = "ops" },
                },
                Spec = new V1JobSpec
                {
                    BackoffLimit = 0,
                    Template = new V1PodTemplateSpec
                    {
                        Spec = new V1PodSpec
                        {
                            RestartPolicy = "Never",
                            Containers = [new V1Container { Name = "backup", Image = "mongo:4.2", Command = ["/bin/sh", "-c", "backup.sh"], Args = ["--all"] }],
                        },
                    },
                },
            },
        },
    };

    [Test]
    public void Builds_the_Job_kubectl_create_job_from_cronjob_builds()
    {
        var job = JobTemplates.FromCronJob(CronJob(), "mongobackup-manual-20261123193000");
        Assert.That(job.ApiVersion, Is.EqualTo("batch/v1"));
        Assert.That(job.Kind, Is.EqualTo("Job"));
        Assert.That(job.Metadata.Name, Is.EqualTo("mongobackup-manual-20261123193000"));
        Assert.That(job.Metadata.NamespaceProperty, Is.EqualTo("vantiq"));
        Assert.That(job.Metadata.Annotations, Is.EquivalentTo(new Dictionary<string, string> { ["cronjob.kubernetes.io/instantiate"] = "manual", ["team"] = "ops" }));
        Assert.That(job.Metadata.Labels, Is.EquivalentTo(new Dictionary<string, string> { ["app"] = "mongobackup" }), "the template's labels, not the CronJob's");
        var owner = job.Metadata.OwnerReferences.Single();
        Assert.That((owner.ApiVersion, owner.Kind, owner.Name, owner.Uid, owner.Controller), Is.EqualTo(("batch/v1", "CronJob", "mongobackup", "uid-123", (bool?)true)));
        Assert.That(job.Spec.BackoffLimit, Is.EqualTo(0));
        Assert.That(job.Spec.Template.Spec.Containers.Single().Command, Is.EqualTo(new[] { "/bin/sh", "-c", "backup.sh" }));
    }

    [Test]
    public void The_template_wins_over_the_instantiate_annotation_as_in_kubectl()
    {
        var cron = CronJob();
        cron.Spec.JobTemplate.Metadata.Annotations["cronjob.kubernetes.io/instantiate"] = "custom";
        Assert.That(JobTemplates.FromCronJob(cron, "x").Metadata.Annotations["cronjob.kubernetes.io/instantiate"], Is.EqualTo("custom"));
    }

    [Test]
    public void The_CronJob_is_not_modified_by_a_command_override()
    {
        var cron = CronJob();
        var job = JobTemplates.FromCronJobWithCommand(cron, "mongobackup-restore-1", ["/bin/sh", "-c", "restore.sh"]);
        var container = job.Spec.Template.Spec.Containers.Single();
        Assert.That(container.Command, Is.EqualTo(new[] { "/bin/sh", "-c", "restore.sh" }));
        Assert.That(container.Args, Is.Null);
        Assert.That(container.Image, Is.EqualTo("mongo:4.2"));
        Assert.That(cron.Spec.JobTemplate.Spec.Template.Spec.Containers.Single().Command, Is.EqualTo(new[] { "/bin/sh", "-c", "backup.sh" }));
    }

    [Test]
    public void A_command_override_needs_a_named_container_when_there_are_several()
    {
        var cron = CronJob();
        cron.Spec.JobTemplate.Spec.Template.Spec.Containers.Add(new V1Container { Name = "sidecar", Image = "s" });
        Assert.That(() => JobTemplates.FromCronJobWithCommand(cron, "r", ["x"]), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("has 2 containers"));
        Assert.That(() => JobTemplates.FromCronJobWithCommand(cron, "r", ["x"], container: "nope"), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("no container named nope"));
        var job = JobTemplates.FromCronJobWithCommand(cron, "r", ["restore"], ["--id", "b1"], container: "backup");
        Assert.That(job.Spec.Template.Spec.Containers[0].Args, Is.EqualTo(new[] { "--id", "b1" }));
        Assert.That(job.Spec.Template.Spec.Containers[1].Command, Is.Null);
    }

    [Test]
    public void A_CronJob_without_a_template_is_one_line()
    {
        var cron = new V1CronJob { Metadata = new V1ObjectMeta { Name = "broken" }, Spec = new V1CronJobSpec() };
        Assert.That(() => JobTemplates.FromCronJob(cron, "x"), Throws.InstanceOf<InvalidDataException>().With.Message.EqualTo("cronjob broken has no jobTemplate."));
    }

    [Test]
    public void Job_names_carry_the_UTC_timestamp_and_fit_a_label()
    {
        var now = new DateTimeOffset(2026, 11, 23, 21, 30, 0, TimeSpan.FromHours(2));
        Assert.That(JobTemplates.JobName("mongobackup", now), Is.EqualTo("mongobackup-manual-20261123193000"));
        Assert.That(JobTemplates.JobName("mongobackup", now, "restore"), Is.EqualTo("mongobackup-restore-20261123193000"));
        var longName = JobTemplates.JobName(new string('a', 70), now);
        Assert.That(longName, Has.Length.LessThanOrEqualTo(63));
        Assert.That(longName, Does.EndWith("-manual-20261123193000"));
    }

    [Test]
    public void Finished_reads_only_true_Complete_or_Failed_conditions()
    {
        V1Job With(string type, string status) => new() { Status = new V1JobStatus { Conditions = [new V1JobCondition { Type = type, Status = status }] } };
        Assert.That(JobRunner.Finished(With("Complete", "True"))?.Type, Is.EqualTo("Complete"));
        Assert.That(JobRunner.Finished(With("Failed", "True"))?.Type, Is.EqualTo("Failed"));
        Assert.That(JobRunner.Finished(With("Failed", "False")), Is.Null);
        Assert.That(JobRunner.Finished(With("Suspended", "True")), Is.Null);
        Assert.That(JobRunner.Finished(new V1Job()), Is.Null);
    }
}

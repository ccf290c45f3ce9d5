using System.Globalization;
using k8s;
using k8s.Models;

namespace KubeRunbooks.Kubernetes.Jobs;

/// <summary>Builds Jobs from a CronJob's jobTemplate, exactly as <c>kubectl create job NAME --from=cronjob/X</c> does.</summary>
public static class JobTemplates
{
    /// <summary>The annotation kubectl puts on a Job created by hand from a CronJob.</summary>
    public const string InstantiateAnnotation = "cronjob.kubernetes.io/instantiate";

    /// <summary>
    /// The Job kubectl builds: annotations <c>cronjob.kubernetes.io/instantiate: manual</c> plus the template's,
    /// the template's labels, an ownerReference to the CronJob with controller true, and a copy of the
    /// template's spec (the CronJob object is not modified).
    /// </summary>
    /// <param name="cronJob">The CronJob as read from the cluster (name, namespace and uid are used).</param>
    /// <param name="jobName">The new Job's name.</param>
    /// <returns>The Job to create.</returns>
    public static V1Job FromCronJob(V1CronJob cronJob, string jobName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobName);
        var template = cronJob.Spec?.JobTemplate ?? throw new InvalidDataException($"cronjob {cronJob.Metadata?.Name} has no jobTemplate.");
        var annotations = new Dictionary<string, string> { [InstantiateAnnotation] = "manual" };
        foreach (var (key, value) in template.Metadata?.Annotations ?? new Dictionary<string, string>()) annotations[key] = value;
        return new V1Job
        {
            ApiVersion = "batch/v1",
            Kind = "Job",
            Metadata = new V1ObjectMeta
            {
                Name = jobName,
                NamespaceProperty = cronJob.Metadata?.NamespaceProperty,
                Annotations = annotations,
                Labels = template.Metadata?.Labels is { } labels ? new Dictionary<string, string>(labels) : null,
                OwnerReferences =
                [
                    new V1OwnerReference
                    {
                        ApiVersion = "batch/v1",
                        Kind = "CronJob",
                        Name = cronJob.Metadata?.Name,
                        Uid = cronJob.Metadata?.Uid,
                        Controller = true,
                    },
                ],
            },
            Spec = DeepCopy(template.Spec),
        };
    }

    /// <summary>
    /// A Job from the CronJob's template whose container runs another command (a restore from the backup
    /// template: same image, volumes, environment and credentials).
    /// </summary>
    /// <param name="cronJob">The CronJob.</param>
    /// <param name="jobName">The new Job's name.</param>
    /// <param name="command">The command (entrypoint) to run instead.</param>
    /// <param name="args">Arguments to the command; null clears the template's args.</param>
    /// <param name="container">The container to change; null means the template's only container.</param>
    /// <returns>The Job to create.</returns>
    public static V1Job FromCronJobWithCommand(V1CronJob cronJob, string jobName, IReadOnlyList<string> command, IReadOnlyList<string>? args = null, string? container = null)
    {
        if (command.Count == 0) throw new ArgumentException("The command must not be empty.", nameof(command));
        var job = FromCronJob(cronJob, jobName);
        var containers = job.Spec?.Template?.Spec?.Containers ?? [];
        V1Container target;
        if (container is null)
        {
            if (containers.Count != 1)
                throw new InvalidDataException($"cronjob {cronJob.Metadata?.Name} has {containers.Count} containers: name the one to run the command in.");
            target = containers[0];
        }
        else
        {
            target = containers.FirstOrDefault(c => c.Name == container)
                ?? throw new InvalidDataException($"cronjob {cronJob.Metadata?.Name} has no container named {container}.");
        }
        target.Command = command.ToList();
        target.Args = args?.ToList();
        return job;
    }

    /// <summary>Sets an environment variable on every container of the Job's pod template (replacing one of that name).</summary>
    /// <param name="job">The Job to change.</param>
    /// <param name="name">The variable.</param>
    /// <param name="value">Its value (never a secret: it is visible in the Job object).</param>
    /// <returns>The same Job.</returns>
    public static V1Job WithEnv(V1Job job, string name, string value)
    {
        foreach (var container in job.Spec?.Template?.Spec?.Containers ?? [])
        {
            var env = container.Env?.Where(e => e.Name != name).ToList() ?? [];
            env.Add(new V1EnvVar { Name = name, Value = value });
            container.Env = env;
        }
        return job;
    }

    /// <summary>
    /// A Job name <c>CRONJOB-SUFFIX-yyyyMMddHHmmss</c> (e.g. <c>mongobackup-manual-20261123193000</c>), the
    /// CronJob part shortened so the whole stays within the 63 characters a label value allows.
    /// </summary>
    public static string JobName(string cronJobName, DateTimeOffset now, string suffix = "manual")
    {
        var stamp = now.UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        var tailPart = $"-{suffix}-{stamp}";
        var head = cronJobName.Length + tailPart.Length > 63 ? cronJobName[..(63 - tailPart.Length)].TrimEnd('-', '.') : cronJobName;
        return head + tailPart;
    }

    private static V1JobSpec? DeepCopy(V1JobSpec? spec) =>
        spec is null ? null : KubernetesJson.Deserialize<V1JobSpec>(KubernetesJson.Serialize(spec));
}

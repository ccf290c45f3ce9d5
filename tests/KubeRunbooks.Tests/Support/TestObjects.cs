using k8s.Models;

namespace KubeRunbooks.Tests.Support;

/// <summary>
/// The tests' one set of object builders: pods, containers, workloads and Jobs as a test creates them (no namespace,
/// no server-owned fields), changed in place by the test where it needs more.
/// </summary>
public static class TestObjects
{
    /// <summary>A pod of one busybox container <c>main</c>, with labels and owners when given (an API object).</summary>
    public static V1Pod Pod(string name, Dictionary<string, string>? labels = null, IList<V1OwnerReference>? owners = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = labels, OwnerReferences = owners },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Image = "busybox" }] },
    };

    /// <summary>A pod of the given containers (what the runtime tests start; see <see cref="TestCluster.RunPodAsync"/>).</summary>
    public static V1Pod PodOf(string name, params V1Container[] containers) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1PodSpec { Containers = containers.ToList() },
    };

    /// <summary>A container running <c>sh -c script</c>.</summary>
    public static V1Container Sh(string name, string script) =>
        new() { Name = name, Image = "busybox:1.36", Command = ["sh", "-c", script] };

    /// <summary>A container that idles (no command, unmapped image).</summary>
    public static V1Container Idle(string name) => new() { Name = name, Image = "example/idle:1.0" };

    /// <summary>The controller owner reference to <paramref name="owner"/>.</summary>
    public static V1OwnerReference OwnerOf(string apiVersion, string kind, V1ObjectMeta owner) => new()
    {
        ApiVersion = apiVersion,
        Kind = kind,
        Name = owner.Name,
        Uid = owner.Uid,
        Controller = true,
    };

    /// <summary>A StatefulSet of idle containers (no command: the runtime idles them).</summary>
    public static V1StatefulSet StatefulSet(string name, int replicas, string image = "example/app:1.0", V1Container? init = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1StatefulSetSpec
        {
            Replicas = replicas,
            ServiceName = name,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                Spec = new V1PodSpec
                {
                    InitContainers = init == null ? null : [init],
                    Containers = [new V1Container { Name = "app", Image = image }],
                },
            },
        },
    };

    /// <summary>
    /// A StatefulSet shaped as a server's: labels, an init container, env and a named port (what the API tests read
    /// back, patch and print).
    /// </summary>
    public static V1StatefulSet ServerStatefulSet(string name, int replicas, string image = "vantiq/vantiq-server:1.30.10")
    {
        var sts = StatefulSet(name, replicas, image, new V1Container { Name = "load-model", Image = "vantiq/load-model:1.0" });
        sts.Metadata.Labels = new Dictionary<string, string> { ["app"] = name };
        var server = sts.Spec.Template.Spec.Containers[0];
        server.Name = name;
        server.Env = [new V1EnvVar { Name = "MODE", Value = "cluster" }, new V1EnvVar { Name = "LEVEL", Value = "info" }];
        server.Ports = [new V1ContainerPort { ContainerPort = 8080, Name = "http" }];
        return sts;
    }

    /// <summary>A Deployment of one idle container <c>app</c> labelled <c>app=NAME</c>.</summary>
    public static V1Deployment Deployment(string name, int replicas, string image) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1DeploymentSpec
        {
            Replicas = replicas,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = image }] },
            },
        },
    };

    /// <summary>A Job whose one container runs <paramref name="script"/> with sh.</summary>
    public static V1Job Job(string name, string script, int backoffLimit = 0) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1JobSpec
        {
            BackoffLimit = backoffLimit,
            Template = new V1PodTemplateSpec
            {
                Spec = new V1PodSpec
                {
                    RestartPolicy = "Never",
                    Containers = [new V1Container { Name = "main", Image = "busybox:1.36", Command = ["sh", "-c", script] }],
                },
            },
        },
    };

    /// <summary>A backup CronJob (<c>mongobackup</c>, daily at 02:00) whose Job runs one container.</summary>
    public static V1CronJob MongoBackupCronJob() => new()
    {
        Metadata = new V1ObjectMeta { Name = "mongobackup", Labels = new Dictionary<string, string> { ["app"] = "mongobackup" } },
        Spec = new V1CronJobSpec
        {
            Schedule = "0 2 * * *",
            JobTemplate = new V1JobTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "mongobackup" } },
                Spec = new V1JobSpec
                {
                    BackoffLimit = 1,
                    Template = new V1PodTemplateSpec
                    {
                        Spec = new V1PodSpec
                        {
                            RestartPolicy = "Never",
                            Containers = [new V1Container { Name = "mongobackup", Image = "vantiq/mongobackup:1.0", Command = ["/bin/backup"] }],
                        },
                    },
                },
            },
        },
    };
}

using k8s.Models;

namespace KubeRunbooks.Tests.Simulator.Api;

/// <summary>Objects the API tests create.</summary>
internal static class Objects
{
    public static V1StatefulSet StatefulSet(string name, int replicas, string image = "vantiq/vantiq-server:1.30.10") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["app"] = name } },
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
                    InitContainers = [new V1Container { Name = "load-model", Image = "vantiq/load-model:1.0" }],
                    Containers =
                    [
                        new V1Container
                        {
                            Name = name,
                            Image = image,
                            Env = [new V1EnvVar { Name = "MODE", Value = "cluster" }, new V1EnvVar { Name = "LEVEL", Value = "info" }],
                            Ports = [new V1ContainerPort { ContainerPort = 8080, Name = "http" }],
                        },
                    ],
                },
            },
        },
    };

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

    public static V1Pod Pod(string name, Dictionary<string, string>? labels = null, IList<V1OwnerReference>? owners = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = labels, OwnerReferences = owners },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Image = "busybox" }] },
    };

    public static V1OwnerReference OwnerOf(string apiVersion, string kind, V1ObjectMeta owner) => new()
    {
        ApiVersion = apiVersion,
        Kind = kind,
        Name = owner.Name,
        Uid = owner.Uid,
        Controller = true,
    };
}

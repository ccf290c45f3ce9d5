using k8s.Models;

namespace KubeRunbooks.Tests.Simulator.Controllers;

/// <summary>Small workload objects for the controller tests.</summary>
public static class Shapes
{
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
}

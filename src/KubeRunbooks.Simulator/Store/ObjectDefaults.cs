using System.Text;
using System.Text.Json.Nodes;

namespace KubeRunbooks.Simulator.Store;

/// <summary>
/// What a real API server fills in on create and update, kind by kind: Secret stringData folded
/// into data, a new pod Pending, the workload defaults kubectl's rollout status relies on, the
/// labels a Job's pods carry.
/// </summary>
internal static class ObjectDefaults
{
    public static void Apply(ResourceKind kind, JsonObject obj, bool creating)
    {
        if (kind == ResourceCatalog.Secrets) FoldStringData(obj);
        else if (kind == ResourceCatalog.Namespaces && creating) Status(obj)["phase"] ??= "Active";
        else if (kind == ResourceCatalog.Pods && creating) PodDefaults(obj);
        else if (kind == ResourceCatalog.StatefulSets) StatefulSetDefaults(obj);
        else if (kind == ResourceCatalog.Deployments) DeploymentDefaults(obj);
        else if (kind == ResourceCatalog.Jobs && creating) JobDefaults(obj);
        else if (kind == ResourceCatalog.CronJobs) CronJobDefaults(obj);
        else if (kind == ResourceCatalog.Services && creating) ServiceDefaults(obj);
        else if (kind == ResourceCatalog.PersistentVolumeClaims && creating) Status(obj)["phase"] ??= "Bound";
        else if (kind == ResourceCatalog.Nodes && creating) NodeDefaults(obj);
    }

    /// <summary>A node as a healthy kubelet registers it: well-known labels, Ready, addresses, capacity, nodeInfo.</summary>
    private static void NodeDefaults(JsonObject node)
    {
        var meta = Child(node, "metadata");
        var name = (string?)meta["name"] ?? "";
        var labels = Child(meta, "labels");
        labels["kubernetes.io/hostname"] ??= name;
        labels["kubernetes.io/os"] ??= "linux";
        labels["kubernetes.io/arch"] ??= "amd64";
        labels["beta.kubernetes.io/os"] ??= "linux";
        labels["beta.kubernetes.io/arch"] ??= "amd64";
        var status = Status(node);
        if (status["conditions"] == null)
        {
            var now = ObjectStore.Timestamp(DateTimeOffset.UtcNow);
            JsonObject Condition(string type, string value, string reason, string message) => new()
            {
                ["type"] = type, ["status"] = value, ["reason"] = reason, ["message"] = message,
                ["lastHeartbeatTime"] = now, ["lastTransitionTime"] = now,
            };
            status["conditions"] = new JsonArray(
                Condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
                Condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
                Condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
                Condition("Ready", "True", "KubeletReady", "kubelet is posting ready status"));
        }
        status["addresses"] ??= new JsonArray(
            new JsonObject { ["type"] = "InternalIP", ["address"] = "127.0.0.1" },
            new JsonObject { ["type"] = "Hostname", ["address"] = name });
        var capacity = new JsonObject { ["cpu"] = "4", ["memory"] = "16Gi", ["pods"] = "110", ["ephemeral-storage"] = "100Gi" };
        status["capacity"] ??= capacity;
        status["allocatable"] ??= capacity.DeepClone();
        status["nodeInfo"] ??= new JsonObject
        {
            ["kubeletVersion"] = Discovery.VersionInfo.GitVersion,
            ["kubeProxyVersion"] = Discovery.VersionInfo.GitVersion,
            ["osImage"] = "Simulated Linux",
            ["kernelVersion"] = Environment.OSVersion.Version.ToString(),
            ["containerRuntimeVersion"] = "simulated://1.0",
            ["operatingSystem"] = "linux",
            ["architecture"] = "amd64",
            ["machineID"] = "", ["systemUUID"] = "", ["bootID"] = "",
        };
    }

    private static JsonObject Status(JsonObject obj) => Child(obj, "status");

    private static JsonObject Child(JsonObject parent, string name)
    {
        if (parent[name] is JsonObject existing) return existing;
        var created = new JsonObject();
        parent[name] = created;
        return created;
    }

    private static void FoldStringData(JsonObject secret)
    {
        secret["type"] ??= "Opaque";
        if (secret["stringData"] is not JsonObject stringData) return;
        var data = Child(secret, "data");
        foreach (var (key, value) in stringData)
        {
            data[key] = Convert.ToBase64String(Encoding.UTF8.GetBytes(value?.GetValue<string>() ?? ""));
        }
        secret.Remove("stringData");
    }

    private static void PodDefaults(JsonObject pod)
    {
        var status = Status(pod);
        status["phase"] ??= "Pending";
        status["qosClass"] ??= "BestEffort";
        var spec = Child(pod, "spec");
        spec["restartPolicy"] ??= "Always";
        spec["terminationGracePeriodSeconds"] ??= 30L; // a long, as every reader of an int64 field expects
        spec["dnsPolicy"] ??= "ClusterFirst";
    }

    private static void StatefulSetDefaults(JsonObject sts)
    {
        var spec = Child(sts, "spec");
        spec["replicas"] ??= 1;
        spec["podManagementPolicy"] ??= "OrderedReady";
        spec["revisionHistoryLimit"] ??= 10;
        var strategy = Child(spec, "updateStrategy");
        strategy["type"] ??= "RollingUpdate";
        if ((string?)strategy["type"] == "RollingUpdate") Child(strategy, "rollingUpdate")["partition"] ??= 0;
    }

    private static void DeploymentDefaults(JsonObject deployment)
    {
        var spec = Child(deployment, "spec");
        spec["replicas"] ??= 1;
        spec["revisionHistoryLimit"] ??= 10;
        spec["progressDeadlineSeconds"] ??= 600;
        var strategy = Child(spec, "strategy");
        strategy["type"] ??= "RollingUpdate";
        if ((string?)strategy["type"] == "RollingUpdate")
        {
            var rolling = Child(strategy, "rollingUpdate");
            rolling["maxSurge"] ??= "25%";
            rolling["maxUnavailable"] ??= "25%";
        }
    }

    private static void JobDefaults(JsonObject job)
    {
        var spec = Child(job, "spec");
        spec["backoffLimit"] ??= 6;
        spec["completions"] ??= 1;
        spec["parallelism"] ??= 1;
        spec["completionMode"] ??= "NonIndexed";
        spec["suspend"] ??= false;
        if ((bool?)spec["manualSelector"] == true) return;
        // The real server labels a Job's pod template with the Job's uid and name and selects on them.
        var uid = (string?)job["metadata"]?["uid"] ?? "";
        var name = (string?)job["metadata"]?["name"] ?? "";
        var templateLabels = Child(Child(Child(spec, "template"), "metadata"), "labels");
        templateLabels["batch.kubernetes.io/controller-uid"] = uid;
        templateLabels["batch.kubernetes.io/job-name"] = name;
        templateLabels["controller-uid"] = uid;
        templateLabels["job-name"] = name;
        spec["selector"] ??= new JsonObject { ["matchLabels"] = new JsonObject { ["batch.kubernetes.io/controller-uid"] = uid } };
        var labels = Child(Child(job, "metadata"), "labels");
        labels["batch.kubernetes.io/controller-uid"] ??= uid;
        labels["batch.kubernetes.io/job-name"] ??= name;
        labels["controller-uid"] ??= uid;
        labels["job-name"] ??= name;
    }

    private static void CronJobDefaults(JsonObject cronJob)
    {
        var spec = Child(cronJob, "spec");
        spec["concurrencyPolicy"] ??= "Allow";
        spec["suspend"] ??= false;
        spec["successfulJobsHistoryLimit"] ??= 3;
        spec["failedJobsHistoryLimit"] ??= 1;
    }

    private static void ServiceDefaults(JsonObject service)
    {
        var spec = Child(service, "spec");
        spec["type"] ??= "ClusterIP";
        spec["sessionAffinity"] ??= "None";
        if (spec["clusterIP"] is null)
        {
            var ip = $"10.96.{Random.Shared.Next(0, 255)}.{Random.Shared.Next(1, 255)}";
            spec["clusterIP"] = ip;
            spec["clusterIPs"] = new JsonArray(ip);
        }
    }
}

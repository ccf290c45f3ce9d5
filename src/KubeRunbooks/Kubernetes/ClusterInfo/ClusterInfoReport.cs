using KubeRunbooks.Kubernetes.Workloads;

namespace KubeRunbooks.Kubernetes.ClusterInfo;

/// <summary>What <see cref="ClusterInfoCollector"/> found: versions, skew, and the profile's workloads.</summary>
public sealed record ClusterInfoReport
{
    /// <summary>The API server's version.</summary>
    public required KubeVersion Server { get; init; }

    /// <summary>kubectl's version, or <c>null</c> when it could not be read (see <see cref="ClientProblem"/>).</summary>
    public KubeVersion? Client { get; init; }

    /// <summary>Why there is no client version (kubectl absent, failed, unreadable output), or <c>null</c>.</summary>
    public string? ClientProblem { get; init; }

    /// <summary>Whether the client is more than one minor version from the server (or another major).</summary>
    public bool SkewTooLarge { get; init; }

    /// <summary>Things an operator should act on: version skew, missing required workloads.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>The profile's workloads, in profile order.</summary>
    public IReadOnlyList<WorkloadInfo> Workloads { get; init; } = [];

    /// <summary>The report as journal facts (key -> value), for <c>RunJournal.RecordFact</c>.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ToFacts()
    {
        var facts = new List<KeyValuePair<string, string>>
        {
            new("server.version", Server.GitVersion),
            new("client.version", Client?.GitVersion ?? $"unknown ({ClientProblem})"),
            new("skew", SkewTooLarge ? "too large" : Client is null ? "not checked" : "ok"),
        };
        for (var i = 0; i < Warnings.Count; i++)
        {
            facts.Add(new($"warning.{i + 1}", Warnings[i]));
        }

        foreach (var w in Workloads)
        {
            var key = $"{w.Namespace}/{w.Name}";
            facts.Add(new($"{key}.replicas", w.State switch
            {
                WorkloadPresence.Present => $"{w.ReadyReplicas}/{w.DesiredReplicas} ready (normal {w.NormalReplicas})",
                WorkloadPresence.Absent => "absent",
                _ => "missing",
            }));
            if (w.State == WorkloadPresence.Present)
            {
                facts.Add(new($"{key}.images", string.Join(", ", w.Images.Select(i => $"{(i.Init ? "init " : "")}{i.Container}={i.Image}"))));
                facts.Add(new($"{key}.pods", string.Join(", ", w.Pods.Select(p => $"{p.Name}@{p.Node ?? "(unscheduled)"}"))));
            }
        }

        return facts;
    }
}

/// <summary>One workload as found on the cluster.</summary>
/// <param name="Namespace">The namespace.</param>
/// <param name="Name">The object name.</param>
/// <param name="Kind">StatefulSet or Deployment.</param>
/// <param name="State">Present, absent (optional) or missing (required).</param>
/// <param name="NormalReplicas">The profile's normal replica count.</param>
/// <param name="DesiredReplicas">spec.replicas, or <c>null</c> when not present.</param>
/// <param name="ReadyReplicas">status.readyReplicas, or <c>null</c> when not present.</param>
/// <param name="Images">The containers' and init containers' images.</param>
/// <param name="Pods">The pods its selector matches, with their nodes.</param>
public sealed record WorkloadInfo(
    string Namespace,
    string Name,
    WorkloadKind Kind,
    WorkloadPresence State,
    int NormalReplicas,
    int? DesiredReplicas,
    int? ReadyReplicas,
    IReadOnlyList<ContainerImage> Images,
    IReadOnlyList<PodPlacement> Pods);

/// <summary>A container of a pod template and its image.</summary>
/// <param name="Container">The container name.</param>
/// <param name="Image">The image reference.</param>
/// <param name="Init">Whether it is an init container.</param>
public sealed record ContainerImage(string Container, string Image, bool Init);

/// <summary>A pod and where it runs.</summary>
/// <param name="Name">The pod name.</param>
/// <param name="Node">The node name, or <c>null</c> when not scheduled.</param>
/// <param name="Phase">status.phase.</param>
/// <param name="Ready">Whether its Ready condition is True.</param>
public sealed record PodPlacement(string Name, string? Node, string Phase, bool Ready);

using System.Text.Json.Serialization;
using k8s.Models;

namespace KubeRunbooks.Simulator.OpenShift;

/// <summary>The spec of a DeploymentConfig, for field validation (see <see cref="DeploymentConfigModel"/>).</summary>
public sealed class DeploymentConfigSpecModel
{
    /// <summary>Desired pods.</summary>
    [JsonPropertyName("replicas")]
    public int? Replicas { get; set; }

    /// <summary>A plain label map (not a LabelSelector, unlike a Deployment's).</summary>
    [JsonPropertyName("selector")]
    public IDictionary<string, string>? Selector { get; set; }

    /// <summary>The pod template.</summary>
    [JsonPropertyName("template")]
    public V1PodTemplateSpec? Template { get; set; }

    /// <summary>Rolling (new pods first) or Recreate (old pods gone first).</summary>
    [JsonPropertyName("strategy")]
    public object? Strategy { get; set; }

    /// <summary>ConfigChange / ImageChange triggers; absent means ConfigChange.</summary>
    [JsonPropertyName("triggers")]
    public object? Triggers { get; set; }

    /// <summary>Paused: no rollout is started.</summary>
    [JsonPropertyName("paused")]
    public bool? Paused { get; set; }

    /// <summary>Old ReplicationControllers kept.</summary>
    [JsonPropertyName("revisionHistoryLimit")]
    public int? RevisionHistoryLimit { get; set; }

    /// <summary>Seconds a pod must be ready to count as available.</summary>
    [JsonPropertyName("minReadySeconds")]
    public int? MinReadySeconds { get; set; }

    /// <summary>Test mode: scale to zero after a successful rollout.</summary>
    [JsonPropertyName("test")]
    public bool? Test { get; set; }
}

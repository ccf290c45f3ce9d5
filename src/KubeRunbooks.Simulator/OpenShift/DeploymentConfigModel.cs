using System.Text.Json.Serialization;
using k8s.Models;

namespace KubeRunbooks.Simulator.OpenShift;

/// <summary>
/// The fields of an <c>apps.openshift.io/v1</c> DeploymentConfig the server accepts (KubernetesClient has no model
/// for it): used only by field validation, which drops or refuses what is not declared here. The pod template is
/// validated as a Deployment's; strategy, triggers and status are kept as given.
/// </summary>
public sealed class DeploymentConfigModel
{
    /// <summary>apps.openshift.io/v1.</summary>
    [JsonPropertyName("apiVersion")]
    public string? ApiVersion { get; set; }

    /// <summary>DeploymentConfig.</summary>
    [JsonPropertyName("kind")]
    public string? Kind { get; set; }

    /// <summary>Object metadata.</summary>
    [JsonPropertyName("metadata")]
    public V1ObjectMeta? Metadata { get; set; }

    /// <summary>The desired state.</summary>
    [JsonPropertyName("spec")]
    public DeploymentConfigSpecModel? Spec { get; set; }

    /// <summary>The observed state (latestVersion, replica counts, conditions), written by the controller.</summary>
    [JsonPropertyName("status")]
    public object? Status { get; set; }
}

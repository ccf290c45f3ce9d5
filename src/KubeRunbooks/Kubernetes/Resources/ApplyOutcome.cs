namespace KubeRunbooks.Kubernetes.Resources;

/// <summary>What applying an exported object did.</summary>
public enum ApplyOutcome
{
    /// <summary>The object did not exist and was created.</summary>
    Created,

    /// <summary>The object existed and was replaced by the exported one.</summary>
    Replaced,
}

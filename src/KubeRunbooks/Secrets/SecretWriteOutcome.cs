namespace KubeRunbooks.Secrets;

/// <summary>What writing a Secret did.</summary>
public enum SecretWriteOutcome
{
    /// <summary>It did not exist and was created.</summary>
    Created,

    /// <summary>It existed with other data (or annotations) and was replaced.</summary>
    Replaced,

    /// <summary>It existed with another type, which Kubernetes does not let change: deleted and created.</summary>
    Recreated,
}

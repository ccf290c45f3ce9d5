namespace KubeRunbooks.Kubernetes.Settings;

/// <summary>
/// Where an application's settings (environment-style keys such as <c>Options__Key</c>) live on the cluster: a
/// workload's container environment or a ConfigMap. Values here are settings, never secrets.
/// </summary>
public interface ISettingsStore
{
    /// <summary>Where the settings are, as an operator reads it (e.g. <c>env of container api in deployment ns/api</c>).</summary>
    string Description { get; }

    /// <summary>
    /// True when writing changes the workload's pod template itself (its pods are replaced by the write); false when
    /// the pods read the settings at start and must be restarted to see new values.
    /// </summary>
    bool WriteRollsOut { get; }

    /// <summary>The current value of each key, or null for a key that is not set.</summary>
    /// <exception cref="SettingsLocationException">The location does not exist or a key is not a plain value.</exception>
    Task<IReadOnlyDictionary<string, string?>> ReadAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default);

    /// <summary>Sets the keys to the values in one request; other keys are left as they are.</summary>
    Task WriteAsync(IReadOnlyDictionary<string, string> values, CancellationToken cancellationToken = default);
}

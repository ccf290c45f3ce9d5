using System.Globalization;
using KubeRunbooks.Kubernetes.Workloads;

namespace KubeRunbooks.Kubernetes.Annotations;

/// <summary>
/// Durable run state kept as annotations on the workload itself, so a rerun or a rollback from
/// another machine finds it: original replicas, previous image tag, backup id. StatefulSets and Deployments always;
/// DeploymentConfigs when the store is given the API that serves them.
/// </summary>
public sealed class AnnotationStore
{
    /// <summary>The annotation holding the replicas a workload had before a runbook stopped it.</summary>
    public const string OriginalReplicas = "kuberunbooks.io/original-replicas";

    /// <summary>The annotation holding the image a workload had before a deploy.</summary>
    public const string PreviousImage = "kuberunbooks.io/previous-image";

    /// <summary>The annotation holding the id of the backup taken before a change.</summary>
    public const string BackupId = "kuberunbooks.io/backup-id";

    /// <summary>The annotation holding the operation in progress (a runbook ledger record as JSON, see <c>KubeRunbooks.Runbooks.Ledger</c>).</summary>
    public const string Operation = "kuberunbooks.io/operation";

    private readonly WorkloadOperations _workloads;
    private readonly DeploymentConfigObjects? _deploymentConfigs;
    private readonly Action<string> _log;

    /// <summary>Creates the store.</summary>
    /// <param name="workloads">Reads and patches the workloads.</param>
    /// <param name="log">Where progress lines go.</param>
    /// <param name="deploymentConfigs">Reads and patches DeploymentConfigs, where the cluster serves them; null: apps/v1 kinds only.</param>
    public AnnotationStore(WorkloadOperations workloads, Action<string>? log = null, DeploymentConfigObjects? deploymentConfigs = null)
    {
        _workloads = workloads;
        _deploymentConfigs = deploymentConfigs;
        _log = log ?? (_ => { });
    }

    /// <summary>Every annotation of the workload; raises <see cref="WorkloadNotFoundException"/> when it does not exist.</summary>
    public async Task<IReadOnlyDictionary<string, string>> ReadAllAsync(WorkloadRef workload, CancellationToken cancellationToken = default) =>
        workload.Kind == WorkloadKind.DeploymentConfig
            ? await DeploymentConfigs(workload).AnnotationsAsync(workload, cancellationToken).ConfigureAwait(false)
            : (await _workloads.GetAsync(workload, cancellationToken).ConfigureAwait(false)).Annotations;

    /// <summary>Reads one annotation, or null when absent.</summary>
    public async Task<string?> ReadAsync(WorkloadRef workload, string key, CancellationToken cancellationToken = default)
    {
        var annotations = await ReadAllAsync(workload, cancellationToken).ConfigureAwait(false);
        return annotations.TryGetValue(key, out var value) ? value : null;
    }

    /// <summary>Writes annotations by merge patch; a null value removes the key.</summary>
    public async Task WriteAsync(WorkloadRef workload, IReadOnlyDictionary<string, string?> values, CancellationToken cancellationToken = default)
    {
        _log($"Recording on {workload}: {string.Join(", ", values.Select(v => $"{v.Key}={v.Value ?? "(removed)"}"))}.");
        if (workload.Kind == WorkloadKind.DeploymentConfig)
            await DeploymentConfigs(workload).PatchAsync(workload, WorkloadPatches.Annotations(values), cancellationToken).ConfigureAwait(false);
        else
            await _workloads.PatchMetadataAsync(workload, WorkloadPatches.Annotations(values), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes one annotation (null removes it).</summary>
    public Task WriteAsync(WorkloadRef workload, string key, string? value, CancellationToken cancellationToken = default) =>
        WriteAsync(workload, new Dictionary<string, string?> { [key] = value }, cancellationToken);

    /// <summary>
    /// Records the workload's current replicas unless a record already exists, and returns the recorded
    /// value: a rerun after a stop must keep the count from before the stop, not the 0 it finds now.
    /// </summary>
    public async Task<int> RecordOriginalReplicasAsync(WorkloadRef workload, CancellationToken cancellationToken = default)
    {
        var state = await _workloads.GetAsync(workload, cancellationToken).ConfigureAwait(false);
        if (state.Annotations.TryGetValue(OriginalReplicas, out var recorded))
            return ParseReplicas(workload, recorded);
        await WriteAsync(workload, OriginalReplicas, state.DesiredReplicas.ToString(CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
        return state.DesiredReplicas;
    }

    /// <summary>The recorded original replicas, or null when none was recorded.</summary>
    public async Task<int?> ReadOriginalReplicasAsync(WorkloadRef workload, CancellationToken cancellationToken = default)
    {
        var value = await ReadAsync(workload, OriginalReplicas, cancellationToken).ConfigureAwait(false);
        return value is null ? null : ParseReplicas(workload, value);
    }

    /// <summary>Removes the replicas record once the workload is back at it.</summary>
    public Task ClearOriginalReplicasAsync(WorkloadRef workload, CancellationToken cancellationToken = default) =>
        WriteAsync(workload, OriginalReplicas, null, cancellationToken);

    private DeploymentConfigObjects DeploymentConfigs(WorkloadRef workload) =>
        _deploymentConfigs ?? throw new NotSupportedException($"{workload}: this annotation store was given no DeploymentConfig API.");

    internal static int ParseReplicas(WorkloadRef workload, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var replicas)
            ? replicas
            : throw new InvalidDataException($"Annotation {OriginalReplicas} on {workload} is '{value}', not a replica count.");
}

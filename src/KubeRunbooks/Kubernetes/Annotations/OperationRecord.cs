using System.Text.Json;
using System.Text.Json.Serialization;

namespace KubeRunbooks.Kubernetes.Annotations;

/// <summary>
/// An operation in progress, kept as one JSON annotation (<see cref="AnnotationStore.Operation"/>) on the
/// workload it changes, so a rerun (on this machine or another) resumes it instead of starting over:
/// which target, from and to what, and the steps already done that must not be done twice (the backup).
/// Removed when the operation completes.
/// </summary>
public sealed record OperationRecord
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The target that started it (e.g. <c>UpgradeMinor</c>).</summary>
    public required string Target { get; init; }

    /// <summary>The version before the operation.</summary>
    public required string From { get; init; }

    /// <summary>The version the operation goes to.</summary>
    public required string To { get; init; }

    /// <summary>The full image before the operation (what a rollback returns to).</summary>
    public required string FromImage { get; init; }

    /// <summary>The run that started it.</summary>
    public required string Run { get; init; }

    /// <summary>When it started.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>When the workloads were stopped (downtime start), once they were.</summary>
    public DateTimeOffset? StoppedAt { get; init; }

    /// <summary>When the workload was back up after the change (downtime end), once it was: a resumed run does not stop it again.</summary>
    public DateTimeOffset? ReadyAt { get; init; }

    /// <summary>The backup Job this operation took (its name is the backup id), once it was created.</summary>
    public string? BackupId { get; init; }

    /// <summary>The restore Job this operation ran, once it was created.</summary>
    public string? RestoreJob { get; init; }

    /// <summary>The annotation value.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads an annotation value; a value that is not a record raises a one-line <see cref="InvalidDataException"/>.</summary>
    public static OperationRecord Parse(string json, string where)
    {
        try
        {
            return JsonSerializer.Deserialize<OperationRecord>(json, Json) ?? throw new JsonException("null");
        }
        catch (JsonException)
        {
            throw new InvalidDataException($"The annotation {AnnotationStore.Operation} on {where} is not an operation record; remove it with kubectl annotate after checking the workloads by hand.");
        }
    }

    /// <summary>One line for logs and messages: <c>UpgradeMinor 1.30.10 -> 1.31.0 (run R, started T)</c>.</summary>
    public string Describe() =>
        $"{Target} {From} -> {To} (run {Run}, started {StartedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC)";
}

using System.Text.Json.Nodes;

namespace KubeRunbooks.Simulator.Controllers;

/// <summary>What the simulated kubelet knows of one container: waiting, running or terminated.</summary>
internal sealed record ContainerState(string Name, bool IsInit)
{
    /// <summary>Waiting reason (PodInitializing, ContainerCreating, CreateContainerConfigError...), when waiting.</summary>
    public string? WaitingReason { get; init; } = "ContainerCreating";

    /// <summary>Waiting message (names an object, never a value).</summary>
    public string? WaitingMessage { get; init; }

    /// <summary>When the process started, once started.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When the process ended, once ended.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>The exit code, once ended.</summary>
    public int? ExitCode { get; init; }

    /// <summary>How many times the kubelet restarted the container.</summary>
    public int RestartCount { get; init; }

    /// <summary>The previous run's end (lastState.terminated), once restarted.</summary>
    public ContainerState? LastTerminated { get; init; }

    /// <summary>The state after a restart is scheduled: waiting CrashLoopBackOff, the ended run kept as lastState.</summary>
    public ContainerState Restarting() => this with
    {
        RestartCount = RestartCount + 1,
        LastTerminated = this with { LastTerminated = null },
        StartedAt = null,
        FinishedAt = null,
        ExitCode = null,
        WaitingReason = "CrashLoopBackOff",
        WaitingMessage = $"back-off restarting failed container {Name}",
    };

    /// <summary>True while the process runs.</summary>
    public bool Running => StartedAt != null && ExitCode == null;

    /// <summary>True once the process ended.</summary>
    public bool Terminated => ExitCode != null;

    /// <summary>The containerStatuses entry.</summary>
    public JsonObject ToStatus(string image, bool ready)
    {
        JsonObject state;
        if (ExitCode is int code)
        {
            state = new JsonObject { ["terminated"] = TerminatedState(code) };
        }
        else if (StartedAt is { } started)
        {
            state = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = Stamp(started) } };
        }
        else
        {
            var waiting = new JsonObject { ["reason"] = WaitingReason };
            if (WaitingMessage != null) waiting["message"] = WaitingMessage;
            state = new JsonObject { ["waiting"] = waiting };
        }
        var status = new JsonObject
        {
            ["name"] = Name,
            ["image"] = image,
            ["imageID"] = "",
            ["ready"] = ready,
            ["restartCount"] = RestartCount,
            ["started"] = Running,
            ["state"] = state,
            ["lastState"] = LastTerminated?.ExitCode is int last ? new JsonObject { ["terminated"] = LastTerminated.TerminatedState(last) } : new JsonObject(),
        };
        if (StartedAt != null) status["containerID"] = ContainerId;
        return status;
    }

    private JsonObject TerminatedState(int code) => new()
    {
        ["exitCode"] = code,
        ["reason"] = code == 0 ? "Completed" : "Error",
        ["startedAt"] = Stamp(StartedAt),
        ["finishedAt"] = Stamp(FinishedAt),
        ["containerID"] = ContainerId,
    };

    private string ContainerId => "sim://" + Name;

    private static string? Stamp(DateTimeOffset? at) => at is { } t ? Store.ObjectStore.Timestamp(t) : null;
}

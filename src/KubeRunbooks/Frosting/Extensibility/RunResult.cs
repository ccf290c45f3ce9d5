using Cake.Core;
using KubeRunbooks.Errors;

namespace KubeRunbooks.Frosting;

/// <summary>The outcome of one normal run or dry run, given to each <see cref="IRunListener"/>.</summary>
public sealed class RunResult
{
    /// <summary>The targets asked for, in command-line order (<c>Default</c> when none was given).</summary>
    public required IReadOnlyList<string> Targets { get; init; }

    /// <summary>The exit code the process ends with.</summary>
    public required ExitCode ExitCode { get; init; }

    /// <summary>The exception that ended the run, unwrapped from Cake's wrappers; null on success.</summary>
    public Exception? Exception { get; init; }

    /// <summary>The name of the task whose failure ended the run; null when no task failed.</summary>
    public string? FailedTask { get; init; }

    /// <summary>
    /// Cake's report: each task's name, duration and execution status (executed, skipped, failed),
    /// in execution order. Also filled when the run failed.
    /// </summary>
    public required CakeReport Report { get; init; }

    /// <summary>When the host started running the targets.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>When the last task (and teardown) ended.</summary>
    public required DateTimeOffset FinishedAt { get; init; }

    /// <summary>True for --dryrun (no task body ran).</summary>
    public required bool IsDryRun { get; init; }
}

using System.Globalization;
using Cake.Core.Diagnostics;

namespace KubeRunbooks.Reporting.Pipelines;

/// <summary>
/// Cake's log with errors and warnings written as the runner's annotations (<c>::error ...::</c>,
/// <c>##vso[task.logissue type=error]</c>) instead of plain lines; everything else passes through. The runner is
/// asked for lazily (it is known from the run's context, which itself needs this log); until then, and off a
/// runner, lines pass through unchanged. Sits inside <see cref="MaskingCakeLog"/>, so it sees masked text only.
/// </summary>
public sealed class RunnerCakeLog(ICakeLog inner, Func<IRunnerCommands?> runner) : ICakeLog
{
    private readonly Lazy<IRunnerCommands?> _runner = new(runner, LazyThreadSafetyMode.None);
    [ThreadStatic] private static bool _resolving;

    /// <inheritdoc />
    public Verbosity Verbosity
    {
        get => inner.Verbosity;
        set => inner.Verbosity = value;
    }

    /// <inheritdoc />
    public void Write(Verbosity verbosity, LogLevel level, string format, params object[] args)
    {
        if (level is LogLevel.Error or LogLevel.Warning && verbosity <= inner.Verbosity && Runner() is { } commands)
        {
            var text = args.Length == 0 ? format : string.Format(CultureInfo.InvariantCulture, format, args);
            foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Take(1))
            {
                commands.Annotate(RunnerAnnotation.From(level == LogLevel.Error, line.TrimEnd('\r')));
            }

            // The rest of a multi-line message (a stack trace) stays an ordinary log line below the annotation.
            var rest = text.Split('\n', 2) is [_, var tail] ? tail : null;
            if (!string.IsNullOrWhiteSpace(rest))
            {
                inner.Write(verbosity, level, "{0}", rest);
            }

            return;
        }

        inner.Write(verbosity, level, format, args);
    }

    // Resolving the runner builds the run's context, which may log: those lines pass through.
    private IRunnerCommands? Runner()
    {
        if (_runner.IsValueCreated) return _runner.Value;
        if (_resolving) return null;
        _resolving = true;
        try
        {
            return _runner.Value;
        }
        catch (Exception)
        {
            return null;
        }
        finally
        {
            _resolving = false;
        }
    }
}

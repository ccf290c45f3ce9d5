using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Frosting;
using KubeRunbooks.Errors;
using KubeRunbooks.Frosting;
using KubeRunbooks.Runbooks;
using KubeRunbooks.Safety;
using Microsoft.Extensions.DependencyInjection;
using Octokit;

namespace KubeRunbooks.Reporting.GitHub;

/// <summary>
/// Reports a run to GitHub when a token and a repository are known (<see cref="GitHubSettings"/>): a target that
/// changes the cluster gets a deployment for the cluster, in progress from its first task, then success or
/// failure with the run's URL; with <c>--github-issue=N</c> the report is posted on that issue; a failed
/// <c>--scheduled</c> run opens an issue or comments on the open one. GitHub's errors never change the run's
/// outcome: they are warnings in the log and a <c>github</c> fact in the report. A singleton; it is told about the
/// run by <see cref="Attach"/> (when the run's context is built) and <see cref="OnRunFinished"/>.
/// </summary>
public sealed class GitHubRunReporter(RunbookSession session, ICakeContext cake) : IRunListener
{
    private readonly List<string> _problems = [];
    private GitHubSettings? _settings;
    private GitHubReporter? _reporter;
    private long? _deployment;
    private bool _attached;
    private bool _resolved;
    private int _flushed;

    /// <summary>Starts the deployment when the first task of a run that changes the cluster is about to run.</summary>
    public void Attach(ICakeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (_attached || context.ServiceProvider?.GetService<ICakeEngine>() is not { } engine) return;
        _attached = true;
        // Reading the settings registers the token with the masker before anything could print it.
        Reporter();
        var started = false;
        engine.BeforeTaskSetup += (_, _) =>
        {
            if (started) return;
            started = true;
            if (context.ServiceProvider.GetService<IFrostingContext>() is not RunbookContext run || run.IsDryRun || Reporter() is not { } reporter) return;
            if (RunMutations.Of(run).Count == 0) return;
            var target = string.Join(",", RunMutations.Targets(run));
            _deployment = reporter.StartDeploymentAsync(run.Profile.Name, target, run.Profile.Production).GetAwaiter().GetResult();
            if (_deployment is { } id)
            {
                reporter.SetDeploymentStateAsync(id, DeploymentState.InProgress, $"{target} running").GetAwaiter().GetResult();
                run.Journal.RecordFact("githubDeployment", id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            FlushWarnings();
        };
    }

    /// <inheritdoc />
    public void OnRunFinished(RunResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (Reporter() is not { } reporter)
        {
            FlushWarnings();
            return;
        }

        var target = string.Join(",", result.Targets);
        var cluster = Argument("cluster") ?? "local";
        var succeeded = result.ExitCode == ExitCode.Success;
        if (_deployment is { } id)
        {
            var how = succeeded ? "succeeded" : $"failed (exit code {(int)result.ExitCode}{(result.FailedTask is { } task ? ", task " + task : "")})";
            reporter.SetDeploymentStateAsync(id, succeeded ? DeploymentState.Success : DeploymentState.Failure, $"{target} {how}").GetAwaiter().GetResult();
        }

        var markdown = Markdown(result, target, cluster);
        if (_settings!.TrackingIssue is { } issue)
        {
            reporter.CommentAsync(issue, markdown).GetAwaiter().GetResult();
        }

        var recorded = false;
        if (_settings.Scheduled && !succeeded && !result.IsDryRun)
        {
            var number = reporter.ReportScheduledFailureAsync($"Scheduled {target} failed on {cluster}", markdown).GetAwaiter().GetResult();
            if (number is { } n && session.Journal is { } run)
            {
                run.RecordFact("githubIssue", "#" + n.ToString(System.Globalization.CultureInfo.InvariantCulture));
                recorded = true;
            }
        }

        if ((FlushWarnings() | recorded) && session.Journal is { ExitCode: not null } journal)
        {
            // The report was completed before GitHub was told; write it again with the warnings.
            journal.Complete(journal.ExitCode.Value);
        }
    }

    private GitHubReporter? Reporter()
    {
        if (_resolved) return _reporter;
        _resolved = true;
        _settings = GitHubSettings.From(cake, session.Masker, _problems);
        if (_settings is null) return null;
        _reporter = new GitHubReporter(GitHubClientFactory.Create(_settings), _settings, session.Masker);
        return _reporter;
    }

    // Writes new warnings to the log and the report's "github" fact; true when there were any.
    private bool FlushWarnings()
    {
        var all = _problems.Concat(_reporter?.Warnings ?? []).ToList();
        if (all.Count == 0) return false;
        foreach (var line in all.Skip(_flushed)) cake.Log.Warning("{0}", line);
        _flushed = all.Count;
        session.Journal?.RecordFact("github", string.Join("; ", all));
        return true;
    }

    private string Markdown(RunResult result, string target, string cluster)
    {
        var link = _settings?.RunUrl is { } url ? $"\n\nRun: {url}\n" : "";
        if (session.Journal is { } journal && File.Exists(journal.MarkdownPath))
        {
            return File.ReadAllText(journal.MarkdownPath) + link;
        }

        // Refused before the run's report was started (a bad profile, an unconfirmed production change).
        var error = session.Masker.Mask(result.Exception?.Message) ?? "no report was written";
        return $"# {target} on {cluster}\n\nExit code {(int)result.ExitCode} ({result.ExitCode}): {error}{link}";
    }

    private string? Argument(string name) => cake.Arguments.HasArgument(name) ? cake.Arguments.GetArguments(name).LastOrDefault() : null;
}

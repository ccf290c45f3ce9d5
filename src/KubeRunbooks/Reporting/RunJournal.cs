using System.Globalization;
using System.Text.RegularExpressions;
using KubeRunbooks.Errors;

namespace KubeRunbooks.Reporting;

/// <summary>
/// The record of one run: target, cluster, arguments (secrets removed), each task with its outcome and
/// facts, and the result. It lives in <c>&lt;artifacts&gt;/runs/&lt;UTC yyyyMMdd-HHmmss&gt;-&lt;target&gt;/</c> and writes
/// <c>report.json</c> and <c>report.md</c> there: once at <see cref="Start"/> (so a crash leaves a report
/// showing where it stopped), after every task, and at <see cref="Complete"/>. Thread-safe.
/// </summary>
/// <remarks>
/// Meant to be called from task setup / teardown hooks: <see cref="TaskStarted"/>, then
/// <see cref="TaskFinished"/> or <see cref="TaskSkipped"/>; task bodies call <see cref="RecordFact"/>.
/// </remarks>
public sealed partial class RunJournal
{
    /// <summary>The JSON report's file name.</summary>
    public const string JsonFileName = "report.json";

    /// <summary>The Markdown report's file name.</summary>
    public const string MarkdownFileName = "report.md";

    private readonly object _gate = new();
    private readonly TimeProvider _time;
    private readonly SecretMasker _masker;
    private readonly List<TaskRecord> _tasks = [];
    private readonly List<KeyValuePair<string, string>> _facts = [];
    private TaskRecord? _current;

    private RunJournal(string folder, string target, string cluster, IReadOnlyList<KeyValuePair<string, string>> arguments,
        SecretMasker masker, TimeProvider time, DateTimeOffset startedAt)
    {
        Folder = folder;
        Target = target;
        Cluster = cluster;
        Arguments = arguments;
        _masker = masker;
        _time = time;
        StartedAt = startedAt;
    }

    /// <summary>The run's folder (absolute).</summary>
    public string Folder { get; }

    /// <summary>The target that was run.</summary>
    public string Target { get; }

    /// <summary>The cluster profile name.</summary>
    public string Cluster { get; }

    /// <summary>The arguments, secret ones replaced by <see cref="SecretMasker.Placeholder"/>.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Arguments { get; }

    /// <summary>When the run started.</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>When the run ended, or <c>null</c> until <see cref="Complete"/>.</summary>
    public DateTimeOffset? EndedAt { get; private set; }

    /// <summary>The exit code, or <c>null</c> until <see cref="Complete"/>.</summary>
    public ExitCode? ExitCode { get; private set; }

    /// <summary>The tasks in the order they started.</summary>
    public IReadOnlyList<TaskRecord> Tasks
    {
        get
        {
            lock (_gate)
            {
                return [.. _tasks];
            }
        }
    }

    /// <summary>Facts recorded outside any task (e.g. by the host before the first task).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Facts
    {
        get
        {
            lock (_gate)
            {
                return [.. _facts];
            }
        }
    }

    /// <summary>The path of <c>report.json</c>.</summary>
    public string JsonPath => Path.Combine(Folder, JsonFileName);

    /// <summary>The path of <c>report.md</c>.</summary>
    public string MarkdownPath => Path.Combine(Folder, MarkdownFileName);

    /// <summary>
    /// Creates the run folder (a new one even when another run of the same target started in the same second)
    /// and writes the first report.
    /// </summary>
    /// <param name="artifactsFolder">The artifacts folder; the run goes in its <c>runs/</c> subfolder.</param>
    /// <param name="target">The target name.</param>
    /// <param name="cluster">The cluster profile name.</param>
    /// <param name="arguments">The command-line arguments; values of secret-named keys and registered secrets are removed.</param>
    /// <param name="masker">The run's secret masker, also applied to everything recorded later.</param>
    /// <param name="time">The clock; the system clock by default.</param>
    public static RunJournal Start(string artifactsFolder, string target, string cluster,
        IEnumerable<KeyValuePair<string, string>> arguments, SecretMasker masker, TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        var startedAt = time.GetUtcNow();
        var masked = arguments.Select(a => new KeyValuePair<string, string>(a.Key, masker.MaskNamed(a.Key, a.Value))).ToList();
        var runs = Path.GetFullPath(Path.Combine(artifactsFolder, "runs"));
        var stem = $"{startedAt.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}-{SafeName().Replace(target, "_")}";

        for (var attempt = 1; ; attempt++)
        {
            var folder = Path.Combine(runs, attempt == 1 ? stem : $"{stem}-{attempt}");
            AtomicFile.CreatePrivateFolder(folder);
            var journal = new RunJournal(folder, target, cluster, masked, masker, time, startedAt);
            try
            {
                // Creating report.json with CreateNew claims the folder, also against another process.
                AtomicFile.CreateNew(journal.JsonPath, ReportJson.Render(journal));
            }
            catch (IOException) when (File.Exists(journal.JsonPath) && attempt < 1000)
            {
                continue;
            }

            AtomicFile.WriteAllText(journal.MarkdownPath, ReportMarkdown.Render(journal));
            return journal;
        }
    }

    /// <summary>Records that a task started; facts recorded from now on belong to it.</summary>
    public void TaskStarted(string name)
    {
        lock (_gate)
        {
            _current = new TaskRecord(name, _time.GetUtcNow());
            _tasks.Add(_current);
        }
    }

    /// <summary>Records how a started task ended and rewrites the reports.</summary>
    /// <param name="name">The task name given to <see cref="TaskStarted"/>.</param>
    /// <param name="outcome">Succeeded, Failed or Skipped.</param>
    /// <param name="message">The error message of a failure (masked before it is kept).</param>
    public void TaskFinished(string name, TaskOutcome outcome, string? message = null)
    {
        if (outcome == TaskOutcome.Running)
        {
            throw new ArgumentOutOfRangeException(nameof(outcome), "A finished task cannot be Running.");
        }

        lock (_gate)
        {
            var task = _tasks.LastOrDefault(t => t.Name == name && t.Outcome == TaskOutcome.Running)
                ?? throw new InvalidOperationException($"Task '{name}' finished but was not started.");
            task.EndedAt = _time.GetUtcNow();
            task.Outcome = outcome;
            task.Message = _masker.Mask(message);
            if (ReferenceEquals(_current, task))
            {
                _current = null;
            }
        }

        Write();
    }

    /// <summary>Records a task that did not run (criteria, dry run, earlier failure), with the reason.</summary>
    public void TaskSkipped(string name, string? reason = null)
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            _tasks.Add(new TaskRecord(name, now) { EndedAt = now, Outcome = TaskOutcome.Skipped, Message = _masker.Mask(reason) });
        }

        Write();
    }

    /// <summary>
    /// Records a fact (original replicas, previous tag, backup id...) on the running task, or on the run when
    /// no task runs. Recording a key again replaces its value. Secret-named keys and registered values are masked.
    /// </summary>
    public void RecordFact(string key, string value)
    {
        var masked = _masker.MaskNamed(key, value);
        lock (_gate)
        {
            if (_current is not null)
            {
                _current.SetFact(key, masked);
            }
            else
            {
                FactList.Set(_facts, key, masked);
            }
        }
    }

    /// <summary>Records several facts at once (e.g. <c>ClusterInfoReport.ToFacts()</c>), as <see cref="RecordFact"/> does.</summary>
    public void RecordFacts(IEnumerable<KeyValuePair<string, string>> facts)
    {
        foreach (var (key, value) in facts)
        {
            RecordFact(key, value);
        }
    }

    /// <summary>Ends the run with <paramref name="exitCode"/>, writes both reports and returns the run folder.</summary>
    public string Complete(ExitCode exitCode)
    {
        lock (_gate)
        {
            EndedAt = _time.GetUtcNow();
            ExitCode = exitCode;
        }

        Write();
        return Folder;
    }

    /// <summary>The overall result: <c>Running</c> until completed, then the exit code's name.</summary>
    public string Result => ExitCode?.ToString() ?? "Running";

    internal SecretMasker Masker => _masker;

    private void Write()
    {
        // Rendering and writing under one lock: a slower writer must not rename an older report over a newer one.
        lock (_gate)
        {
            AtomicFile.WriteAllText(JsonPath, ReportJson.Render(this));
            AtomicFile.WriteAllText(MarkdownPath, ReportMarkdown.Render(this));
        }
    }

    [GeneratedRegex("[^A-Za-z0-9_-]")]
    private static partial Regex SafeName();
}

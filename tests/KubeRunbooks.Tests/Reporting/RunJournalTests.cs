using System.Text.Json;
using KubeRunbooks.Errors;
using KubeRunbooks.Reporting;

namespace KubeRunbooks.Tests.Reporting;

[TestFixture]
public sealed class RunJournalTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 1, 2, 3, TimeSpan.Zero);
    private string _artifacts = null!;
    private ManualClock _clock = null!;
    private SecretMasker _masker = null!;

    [SetUp]
    public void SetUp()
    {
        _artifacts = Path.Combine(Path.GetTempPath(), "kr-journal-" + Guid.NewGuid().ToString("N"));
        _clock = new ManualClock(Start);
        _masker = new SecretMasker();
    }

    [TearDown]
    public void TearDown()
    {
        if (Directory.Exists(_artifacts))
        {
            Directory.Delete(_artifacts, recursive: true);
        }
    }

    private RunJournal StartJournal(string target = "UpgradeMinor", params (string Key, string Value)[] arguments) =>
        RunJournal.Start(_artifacts, target, "prod", arguments.Select(a => KeyValuePair.Create(a.Key, a.Value)), _masker, _clock);

    private static JsonElement ReadJson(RunJournal journal) => JsonDocument.Parse(File.ReadAllText(journal.JsonPath)).RootElement;

    [Test]
    public void The_run_folder_is_named_by_utc_time_and_target()
    {
        var journal = StartJournal();

        Assert.That(journal.Folder, Is.EqualTo(Path.Combine(Path.GetFullPath(_artifacts), "runs", "20261123-010203-UpgradeMinor")));
        Assert.That(File.Exists(journal.JsonPath) && File.Exists(journal.MarkdownPath), Is.True, "a report exists from the start");
    }

    [Test]
    public void Two_runs_started_in_the_same_second_get_different_folders()
    {
        var first = StartJournal();
        var second = StartJournal();
        var third = StartJournal();

        Assert.That(new[] { first.Folder, second.Folder, third.Folder }, Is.Unique);
        Assert.That(Path.GetFileName(second.Folder), Is.EqualTo("20261123-010203-UpgradeMinor-2"));
    }

    [Test]
    public void A_target_name_cannot_escape_the_runs_folder()
    {
        var journal = StartJournal("../../evil");

        Assert.That(Path.GetDirectoryName(journal.Folder), Is.EqualTo(Path.Combine(Path.GetFullPath(_artifacts), "runs")));
    }

    [Test]
    public void The_json_report_holds_tasks_outcomes_facts_and_the_exit_code()
    {
        var journal = StartJournal("UpgradeMinor", ("to", "1.31.0"), ("cluster", "prod"));
        journal.RecordFact("connection", "kubeconfig /k, context prod");
        journal.TaskStarted("RecordReplicas");
        journal.RecordFact("vantiq", "3");
        journal.RecordFact("vision-analytics", "1");
        journal.RecordFact("vision-analytics", "2");
        _clock.Advance(TimeSpan.FromSeconds(2.5));
        journal.TaskFinished("RecordReplicas", TaskOutcome.Succeeded);
        journal.TaskStarted("BackupMongo");
        _clock.Advance(TimeSpan.FromMinutes(1));
        journal.TaskFinished("BackupMongo", TaskOutcome.Failed, "Job mongobackup-x failed: BackoffLimitExceeded");
        journal.TaskSkipped("DeployVersion", "an earlier task failed");
        var folder = journal.Complete(ExitCode.StepFailed);

        var json = ReadJson(journal);
        var tasks = json.GetProperty("tasks");
        Assert.Multiple(() =>
        {
            Assert.That(folder, Is.EqualTo(journal.Folder));
            Assert.That(json.GetProperty("target").GetString(), Is.EqualTo("UpgradeMinor"));
            Assert.That(json.GetProperty("cluster").GetString(), Is.EqualTo("prod"));
            Assert.That(json.GetProperty("startedAt").GetDateTime(), Is.EqualTo(Start.UtcDateTime));
            Assert.That(json.GetProperty("durationSeconds").GetDouble(), Is.EqualTo(62.5));
            Assert.That(json.GetProperty("result").GetString(), Is.EqualTo("StepFailed"));
            Assert.That(json.GetProperty("exitCode").GetInt32(), Is.EqualTo(1));
            Assert.That(json.GetProperty("arguments").GetProperty("to").GetString(), Is.EqualTo("1.31.0"));
            Assert.That(json.GetProperty("facts").GetProperty("connection").GetString(), Is.EqualTo("kubeconfig /k, context prod"));
            Assert.That(tasks.GetArrayLength(), Is.EqualTo(3));
            Assert.That(tasks[0].GetProperty("name").GetString(), Is.EqualTo("RecordReplicas"));
            Assert.That(tasks[0].GetProperty("outcome").GetString(), Is.EqualTo("Succeeded"));
            Assert.That(tasks[0].GetProperty("durationSeconds").GetDouble(), Is.EqualTo(2.5));
            Assert.That(tasks[0].GetProperty("facts").GetProperty("vantiq").GetString(), Is.EqualTo("3"));
            Assert.That(tasks[0].GetProperty("facts").GetProperty("vision-analytics").GetString(), Is.EqualTo("2"), "the last value wins");
            Assert.That(tasks[1].GetProperty("outcome").GetString(), Is.EqualTo("Failed"));
            Assert.That(tasks[1].GetProperty("message").GetString(), Is.EqualTo("Job mongobackup-x failed: BackoffLimitExceeded"));
            Assert.That(tasks[1].GetProperty("facts").EnumerateObject(), Is.Empty);
            Assert.That(tasks[2].GetProperty("outcome").GetString(), Is.EqualTo("Skipped"));
            Assert.That(tasks[2].GetProperty("message").GetString(), Is.EqualTo("an earlier task failed"));
        });
    }

    [Test]
    public void The_report_of_an_interrupted_run_shows_the_running_task()
    {
        var journal = StartJournal();
        journal.TaskStarted("StopVantiq");
        journal.TaskFinished("StopVantiq", TaskOutcome.Succeeded);
        journal.TaskStarted("BackupMongo");
        journal.RecordFact("job", "mongobackup-manual-1");
        journal.TaskStarted("Never");
        journal.TaskFinished("Never", TaskOutcome.Succeeded);

        var json = ReadJson(journal);

        Assert.Multiple(() =>
        {
            Assert.That(json.GetProperty("result").GetString(), Is.EqualTo("Running"));
            Assert.That(json.GetProperty("exitCode").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(json.GetProperty("tasks")[1].GetProperty("outcome").GetString(), Is.EqualTo("Running"));
            Assert.That(json.GetProperty("tasks")[1].GetProperty("endedAt").ValueKind, Is.EqualTo(JsonValueKind.Null));
        });
    }

    [Test]
    public void Secrets_never_reach_either_report()
    {
        _masker.Register("s3cr3t-from-prompt");
        var journal = StartJournal("RotateDatabasePassword",
            ("db-password", "hunter2"), ("github-token", "ghp_abcdef"), ("note", "uses s3cr3t-from-prompt"));
        journal.TaskStarted("Rotate");
        journal.RecordFact("apiKey", "k-123456");
        journal.RecordFact("result", "applied s3cr3t-from-prompt");
        _masker.Register("late-secret-value");
        journal.TaskFinished("Rotate", TaskOutcome.Failed, "ALTER USER failed for password late-secret-value");
        journal.Complete(ExitCode.StepFailed);

        foreach (var path in new[] { journal.JsonPath, journal.MarkdownPath })
        {
            var text = File.ReadAllText(path);
            Assert.That(text, Does.Not.Contain("hunter2").And.Not.Contain("ghp_abcdef").And.Not.Contain("s3cr3t")
                .And.Not.Contain("k-123456").And.Not.Contain("late-secret-value"), path);
            Assert.That(text, Does.Contain("***"), path);
        }

        var json = ReadJson(journal);
        Assert.That(json.GetProperty("arguments").GetProperty("note").GetString(), Is.EqualTo("uses ***"));
    }

    [Test]
    public void The_markdown_report_has_a_table_of_steps_with_durations()
    {
        var journal = StartJournal();
        journal.TaskStarted("StopVantiq");
        _clock.Advance(TimeSpan.FromSeconds(75));
        journal.TaskFinished("StopVantiq", TaskOutcome.Succeeded);
        journal.TaskStarted("BackupMongo");
        journal.RecordFact("backup", "mongobackup-20261123");
        _clock.Advance(TimeSpan.FromHours(25));
        journal.TaskFinished("BackupMongo", TaskOutcome.Failed, "line one\nline | two");
        journal.Complete(ExitCode.StepFailed);

        var md = File.ReadAllText(journal.MarkdownPath);

        Assert.Multiple(() =>
        {
            Assert.That(md, Does.StartWith("# UpgradeMinor on prod: StepFailed\n"));
            Assert.That(md, Does.Contain("| Result | **StepFailed**, exit code 1 (StepFailed) |"));
            Assert.That(md, Does.Contain("| 1 | StopVantiq | Succeeded | 2026-11-23 01:02:03 | 00:01:15.0 |  |"));
            Assert.That(md, Does.Contain("| 2 | BackupMongo | Failed | 2026-11-23 01:03:18 | 25:00:00.0 | line one line \\| two |"));
            Assert.That(md, Does.Contain("### Facts of BackupMongo\n\n| Name | Value |\n|---|---|\n| backup | mongobackup-20261123 |"));
        });
    }

    [Test]
    public void Facts_recorded_together_land_on_the_running_task_and_concurrent_tasks_all_appear()
    {
        var journal = StartJournal();
        journal.TaskStarted("ClusterInfo");
        journal.RecordFacts([KeyValuePair.Create("server.version", "v1.32.3"), KeyValuePair.Create("skew", "ok")]);
        journal.TaskFinished("ClusterInfo", TaskOutcome.Succeeded);
        Parallel.For(0, 20, i => journal.TaskSkipped($"Skipped{i}"));
        journal.Complete(ExitCode.Success);

        var json = ReadJson(journal);
        Assert.Multiple(() =>
        {
            Assert.That(json.GetProperty("tasks")[0].GetProperty("facts").GetProperty("skew").GetString(), Is.EqualTo("ok"));
            Assert.That(json.GetProperty("tasks").GetArrayLength(), Is.EqualTo(21), "the last write holds every task");
            Assert.That(json.GetProperty("result").GetString(), Is.EqualTo("Success"));
        });
    }

    [Test]
    public void Finishing_a_task_that_never_started_is_a_programming_error()
    {
        var journal = StartJournal();

        Assert.That(() => journal.TaskFinished("Ghost", TaskOutcome.Succeeded), Throws.InvalidOperationException);
        Assert.That(() => journal.TaskFinished("Ghost", TaskOutcome.Running), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [Test]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Reports_are_private_to_the_owner_and_no_temp_files_remain()
    {
        Assume.That(OperatingSystem.IsWindows(), Is.False, "Unix file modes");
        var journal = StartJournal();
        journal.Complete(ExitCode.Success);

        Assert.Multiple(() =>
        {
            Assert.That(File.GetUnixFileMode(journal.JsonPath), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
            Assert.That(File.GetUnixFileMode(journal.MarkdownPath), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
            Assert.That(File.GetUnixFileMode(journal.Folder) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead), Is.EqualTo(UnixFileMode.None));
            Assert.That(Directory.GetFiles(journal.Folder).Select(Path.GetFileName), Is.EquivalentTo(new[] { "report.json", "report.md" }));
        });
    }

    [Test]
    public void An_atomic_write_replaces_the_whole_file()
    {
        Directory.CreateDirectory(_artifacts);
        var path = Path.Combine(_artifacts, "f.txt");
        AtomicFile.WriteAllText(path, new string('x', 10_000));
        AtomicFile.WriteAllText(path, "short");

        Assert.That(File.ReadAllText(path), Is.EqualTo("short"));
        Assert.That(Directory.GetFiles(_artifacts), Has.Length.EqualTo(1));
    }
}

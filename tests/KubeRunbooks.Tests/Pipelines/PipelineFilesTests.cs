using System.Text.RegularExpressions;
using KubeRunbooks.Clusters;
using KubeRunbooks.Tasks.Kamonohashi;
using KubeRunbooks.Tasks.ThreeScale;
using KubeRunbooks.Tests.Frosting;
using YamlDotNet.RepresentationModel;

namespace KubeRunbooks.Tests.Pipelines;

/// <summary>
/// The CI files users copy (<c>.github/workflows/*.yml</c>, <c>azure-pipelines.yml</c>): each parses, each
/// <c>./build.sh</c> line names a target and options the built host has, each secret is documented in
/// README, and the parts the README promises (approval environment, concurrency, schedule) are there.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed partial class PipelineFilesTests
{
    private HostSurface _host = null!;
    private string _readme = null!;

    [OneTimeSetUp]
    public void AskTheHost()
    {
        _host = HostSurface.Load();
        _readme = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md"));
    }

    /// <summary>Every pipeline file in the repository.</summary>
    public static IEnumerable<string> PipelineFiles()
    {
        var root = RepositoryPaths.Root;
        var workflows = Path.Combine(root, ".github", "workflows");
        var files = Directory.Exists(workflows) ? Directory.GetFiles(workflows, "*.yml").ToList() : [];
        files.Add(Path.Combine(root, "azure-pipelines.yml"));
        return files.Select(f => Path.GetRelativePath(root, f)).Order(StringComparer.Ordinal);
    }

    [Test]
    public void The_repository_has_the_three_pipeline_files() =>
        Assert.That(PipelineFiles(), Is.SupersetOf(new[]
        {
            Path.Combine(".github", "workflows", "runbook.yml"),
            Path.Combine(".github", "workflows", "scheduled-backup.yml"),
            "azure-pipelines.yml",
        }));

    [TestCaseSource(nameof(PipelineFiles))]
    public void Each_build_sh_line_names_a_target_and_options_that_exist(string file)
    {
        var lines = BuildLines(Load(file)).ToList();
        Assert.That(lines, Is.Not.Empty, $"{file} runs ./build.sh");
        Assert.Multiple(() =>
        {
            foreach (var line in lines)
            {
                var target = TargetOf(line);
                Assert.That(target, Is.Not.Null, $"{file}: names its target: {line}");
                if (target is not null && !target.StartsWith('$'))
                {
                    Assert.That(_host.Targets, Does.Contain(target), $"{file}: --target={target} is not a target of the host");
                }

                foreach (Match option in OptionName().Matches(line))
                {
                    var name = option.Groups[1].Value;
                    Assert.That(_host.Options, Does.Contain(name), $"{file}: --{name} is neither a host option nor an argument any task reads");
                    Assert.That(_readme, Does.Contain("--" + name), $"{file}: --{name} is not documented in README.md");
                }
            }
        });
    }

    [TestCaseSource(nameof(PipelineFiles))]
    public void Each_secret_it_uses_is_documented_in_README(string file)
    {
        var text = File.ReadAllText(Path.Combine(RepositoryPaths.Root, file));
        var secrets = GitHubSecret().Matches(text).Select(m => m.Groups[1].Value)
            .Concat(AzureMacroInEnv().Matches(text).Select(m => m.Groups[1].Value))
            .Distinct().ToList();
        Assert.That(secrets, Is.Not.Empty, $"{file} reads a kubeconfig from a secret");
        Assert.Multiple(() =>
        {
            foreach (var secret in secrets)
            {
                Assert.That(_readme, Does.Contain(secret), $"{file}: secret {secret} is not documented in README.md");
            }
        });
    }

    [Test]
    public void The_manual_runbook_offers_only_existing_targets_and_guards_the_cluster()
    {
        var root = Load(Path.Combine(".github", "workflows", "runbook.yml"));
        var inputs = Map(Map(Map(root, "on"), "workflow_dispatch"), "inputs");
        var choices = Seq(Map(inputs, "target"), "options").Select(n => ((YamlScalarNode)n).Value!).ToList();
        Assert.That(choices, Is.Not.Empty);
        Assert.That(_host.Targets, Is.SupersetOf(choices), "every choice is a target of the host");
        Assert.That(inputs.Children.Keys.Select(k => ((YamlScalarNode)k).Value), Is.SupersetOf(new[] { "cluster", "target", "version", "backup" }));

        var job = (YamlMappingNode)Map(root, "jobs").Children.Values.Single();
        Assert.Multiple(() =>
        {
            Assert.That(Scalar(job, "environment"), Does.Contain("inputs.cluster"), "a protected environment per cluster");
            Assert.That(Scalar(Map(root, "concurrency"), "group"), Does.Contain("inputs.cluster"), "concurrency per cluster");
            Assert.That(Scalar(Map(root, "concurrency"), "cancel-in-progress"), Is.EqualTo("false"), "a running runbook is never cancelled");
            var steps = Seq(job, "steps").Cast<YamlMappingNode>().ToList();
            Assert.That(steps.Any(s => HasKey(s, "run") && Scalar(s, "run").Contains("$RUNNER_TEMP/kubeconfig", StringComparison.Ordinal)
                && Scalar(Map(s, "env"), "KUBECONFIG_CONTENT").Contains("secrets.", StringComparison.Ordinal)), "kubeconfig from a secret into $RUNNER_TEMP");
            var upload = steps.Single(s => HasKey(s, "uses") && Scalar(s, "uses").StartsWith("actions/upload-artifact", StringComparison.Ordinal));
            Assert.That(Scalar(upload, "if"), Is.EqualTo("always()"), "the run folder is kept also on failure");
            Assert.That(Scalar(Map(upload, "with"), "path"), Does.Contain("artifacts/runs"));
        });
    }

    [Test]
    public void The_scheduled_backup_runs_on_Sunday_01_00_JST_with_scheduled_and_keeps_the_manifest()
    {
        var root = Load(Path.Combine(".github", "workflows", "scheduled-backup.yml"));
        var cron = Scalar((YamlMappingNode)Seq(Map(root, "on"), "schedule").Single(), "cron");
        Assert.That(CronFiresAt(cron, new DateTime(2026, 12, 5, 16, 0, 0, DateTimeKind.Utc)), Is.True, "Sat 16:00 UTC = Sun 01:00 JST");
        Assert.That(CronFiresAt(cron, new DateTime(2026, 12, 6, 16, 0, 0, DateTimeKind.Utc)), Is.False, "once a week");
        Assert.That(new DateTime(2026, 12, 5, 16, 0, 0, DateTimeKind.Utc).AddHours(9).DayOfWeek, Is.EqualTo(DayOfWeek.Sunday));

        var job = (YamlMappingNode)Map(root, "jobs").Children.Values.Single();
        var steps = Seq(job, "steps").Cast<YamlMappingNode>().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(BuildLines(root).Single(), Does.Contain("--scheduled"));
            Assert.That(Scalar(Map(job, "concurrency"), "group"), Does.Contain("matrix.cluster"));
            var upload = steps.Single(s => HasKey(s, "uses") && Scalar(s, "uses").StartsWith("actions/upload-artifact", StringComparison.Ordinal));
            Assert.That(Scalar(upload, "if"), Is.EqualTo("always()"));
            Assert.That(Scalar(Map(upload, "with"), "path"), Does.Contain("manifest").And.Contain("artifacts/runs"));
            Assert.That(Scalar(Map(root, "permissions"), "issues"), Is.EqualTo("write"), "a failure opens or updates an issue");
        });
    }

    /// <summary>
    /// The targets that write a backup set under the profile's <c>backups.folder</c>, with the kind that names the
    /// set's folder (<c>KIND-yyyyMMdd-HHmmss</c>). A target not here (MongoBackup: a Job in the cluster) writes no local
    /// set, so a scheduled run of it would upload nothing.
    /// </summary>
    private static readonly Dictionary<string, string> SetKinds = new(StringComparer.Ordinal)
    {
        [KamonohashiTargets.PostgresBackup] = PostgresBackupPlan.Kind,
        [KamonohashiTargets.StorageBackup] = StorageBackupPlan.SetKind,
        [ThreeScaleTargets.Backup] = ThreeScaleInstall.BackupKind,
    };

    /// <summary>Where the target's set's manifest is, with the default profile's folder: null when it writes no set.</summary>
    private static string? ManifestGlobOf(string target) =>
        SetKinds.TryGetValue(target, out var kind) ? $"{new BackupSettings().Folder}/{kind}-*/manifest.json" : null;

    [Test]
    public void The_scheduled_backups_run_the_seeds_weekly_PostgreSQL_backup_and_upload_the_manifest_it_writes()
    {
        var github = Load(Path.Combine(".github", "workflows", "scheduled-backup.yml"));
        var job = (YamlMappingNode)Map(github, "jobs").Children.Values.Single();
        var upload = Seq(job, "steps").Cast<YamlMappingNode>().Single(s => HasKey(s, "uses") && Scalar(s, "uses").StartsWith("actions/upload-artifact", StringComparison.Ordinal));
        var githubPaths = Scalar(Map(upload, "with"), "path").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        var azureBackup = Seq(Load("azure-pipelines.yml"), "stages").Cast<YamlMappingNode>().Single(s => Scalar(s, "stage") == "Backup");
        var azureScheduled = BuildLines(azureBackup).Where(l => l.Contains("--scheduled", StringComparison.Ordinal)).ToList();

        Assert.Multiple(() =>
        {
            // Seed 000: KAMONOHASHI's pg_dumpall, "every Sunday 01:00" (Sun=01:00:00).
            Assert.That(BuildLines(github).Select(TargetOf), Is.EqualTo(new[] { KamonohashiTargets.PostgresBackup }));
            Assert.That(azureScheduled.Select(TargetOf), Is.EqualTo(new[] { KamonohashiTargets.PostgresBackup }), "Azure's schedule runs the same backup");
            foreach (var line in BuildLines(github).Concat(azureScheduled))
            {
                var glob = ManifestGlobOf(TargetOf(line)!);
                Assert.That(glob, Is.Not.Null, $"a scheduled run writes a set to keep: {line}");
                if (glob is null) continue;
                Assert.That(githubPaths, Does.Contain(glob), $"scheduled-backup.yml uploads {glob}");
                Assert.That(Paths(azureBackup), Does.Contain(glob), $"azure-pipelines.yml's Backup stage publishes {glob}");
            }
            Assert.That(githubPaths.Where(p => p.StartsWith(new BackupSettings().Folder + "/", StringComparison.Ordinal)).Where(p => !SetKinds.Values.Any(k => p.StartsWith($"{new BackupSettings().Folder}/{k}-", StringComparison.Ordinal))),
                Is.Empty, "every backup path uploaded is a set's");
            Assert.That(_readme, Does.Contain("--target=PostgresBackup --cluster=\"$CLUSTER\" --confirm=\"$CLUSTER\" --scheduled"), "README names the scheduled target");
            Assert.That(_readme, Does.Contain(ManifestGlobOf(KamonohashiTargets.PostgresBackup)), "README names the uploaded manifest");
        });
    }

    // The words of every scalar under the node that look like a path (for the Azure stage's copy and publish steps).
    private static IEnumerable<string> Paths(YamlNode node) => node switch
    {
        YamlScalarNode { Value: { } text } => text.Split((char[])[' ', '\n', '"', '\''], StringSplitOptions.RemoveEmptyEntries).Where(w => w.Contains('/', StringComparison.Ordinal)),
        YamlMappingNode map => map.Children.Values.SelectMany(Paths),
        YamlSequenceNode seq => seq.Children.SelectMany(Paths),
        _ => [],
    };

    [Test]
    public void Azure_runs_Preflight_dry_run_then_Backup_then_Upgrade_through_an_environment_with_a_schedule()
    {
        var root = Load("azure-pipelines.yml");
        var stages = Seq(root, "stages").Cast<YamlMappingNode>().ToList();
        Assert.That(stages.Select(s => Scalar(s, "stage")), Is.EqualTo(new[] { "Preflight", "Backup", "Upgrade" }));
        Assert.Multiple(() =>
        {
            Assert.That(BuildLines(stages[0]).Single(), Does.Contain("--dryrun"));
            Assert.That(BuildLines(stages[1]).Concat(BuildLines(stages[2])), Has.None.Contain("--dryrun"));
            foreach (var stage in stages.Skip(1))
            {
                var job = (YamlMappingNode)Seq(stage, "jobs").Single();
                Assert.That(HasKey(job, "deployment") && Scalar(job, "environment").Contains("parameters.cluster", StringComparison.Ordinal),
                    $"stage {Scalar(stage, "stage")} waits for the cluster's environment approval");
            }

            Assert.That(Scalar(stages[1], "dependsOn"), Is.EqualTo("Preflight"));
            Assert.That(Scalar(stages[2], "dependsOn"), Is.EqualTo("Backup"));
            var cron = Scalar((YamlMappingNode)Seq(root, "schedules").Single(), "cron");
            Assert.That(CronFiresAt(cron, new DateTime(2026, 12, 5, 16, 0, 0, DateTimeKind.Utc)), Is.True);
            Assert.That(Scalar(root, "trigger"), Is.EqualTo("none"), "no run on a push");
        });
    }

    /// <summary>The test's own checks must be able to fail: a made-up target and option are refused.</summary>
    [Test]
    public void The_checks_refuse_a_target_and_an_option_that_do_not_exist()
    {
        Assert.That(_host.Targets, Does.Not.Contain("UpgradeEverything"));
        Assert.That(_host.Options, Does.Not.Contain("force-upgrade"));
        Assert.That(TargetOf("./build.sh --cluster=x"), Is.Null);
        Assert.That(TargetOf("./build.sh --target=\"$TARGET\" --cluster=x"), Is.EqualTo("$TARGET"));
        Assert.That(TargetOf("./build.sh -t MongoBackup"), Is.EqualTo("MongoBackup"));
        Assert.That(ManifestGlobOf("MongoBackup"), Is.Null, "MongoBackup writes no local set: a schedule of it would upload nothing");
        Assert.That(ManifestGlobOf(KamonohashiTargets.PostgresBackup), Is.EqualTo("backups/postgres-*/manifest.json"));
    }

    private static YamlMappingNode Load(string relative)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(Path.Combine(RepositoryPaths.Root, relative));
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents.Single().RootNode;
    }

    // Every line of every scalar (run:, script:, bash:) that invokes ./build.sh.
    private static IEnumerable<string> BuildLines(YamlNode node) => node switch
    {
        YamlScalarNode { Value: { } text } => text.Split('\n').Select(l => l.Trim()).Where(l => l.Contains("./build.sh", StringComparison.Ordinal) && !l.StartsWith('#')),
        YamlMappingNode map => map.Children.Values.SelectMany(BuildLines),
        YamlSequenceNode seq => seq.Children.SelectMany(BuildLines),
        _ => [],
    };

    private static string? TargetOf(string line)
    {
        var match = TargetOption().Match(line);
        return match.Success ? match.Groups[1].Value.Trim('"', '\'') : null;
    }

    // Minute, hour and day-of-week fields only (the files use * for day of month and month).
    private static bool CronFiresAt(string cron, DateTime utc)
    {
        var fields = cron.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(fields, Has.Length.EqualTo(5), cron);
        Assert.That(fields[2] + fields[3], Is.EqualTo("**"), cron);
        static bool Matches(string field, int value) => field == "*" || field.Split(',').Select(int.Parse).Contains(value);
        return Matches(fields[0], utc.Minute) && Matches(fields[1], utc.Hour) && Matches(fields[4], (int)utc.DayOfWeek);
    }

    private static YamlMappingNode Map(YamlMappingNode node, string key) => (YamlMappingNode)node.Children[new YamlScalarNode(key)];

    private static IEnumerable<YamlNode> Seq(YamlMappingNode node, string key) => ((YamlSequenceNode)node.Children[new YamlScalarNode(key)]).Children;

    private static string Scalar(YamlMappingNode node, string key) => ((YamlScalarNode)node.Children[new YamlScalarNode(key)]).Value ?? "";

    private static bool HasKey(YamlMappingNode node, string key) => node.Children.ContainsKey(new YamlScalarNode(key));

    [GeneratedRegex(@"(?:--target[= ]|-t )(""[^""]*""|'[^']*'|\S+)")]
    private static partial Regex TargetOption();

    // --name (after a space, a quote or the start of ${VAR:+...}): the option names a line passes.
    [GeneratedRegex(@"(?:^|[\s+""'])--([a-z][a-z0-9-]*)")]
    private static partial Regex OptionName();

    [GeneratedRegex(@"secrets\.([A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex GitHubSecret();

    // An env: entry fed from a pipeline variable without a dot (a user-defined, e.g. secret, variable).
    [GeneratedRegex(@"^\s+[A-Z_][A-Z0-9_]*: \$\(([A-Za-z_][A-Za-z0-9_]*)\)\s*$", RegexOptions.Multiline)]
    private static partial Regex AzureMacroInEnv();
}

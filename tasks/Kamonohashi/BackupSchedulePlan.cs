using System.Globalization;
using KubeRunbooks.Clusters;
using KubeRunbooks.Errors;
using KubeRunbooks.Kubernetes.Settings;
using KubeRunbooks.Runbooks;
using KubeRunbooks.Runbooks.Ledger;
using KubeRunbooks.Runbooks.Plans;
using Workload = KubeRunbooks.Kubernetes.Workloads.WorkloadRef;

namespace KubeRunbooks.Tasks.Kamonohashi;

/// <summary>One setting SetBackupSchedule changes: its key, the value now (null: not set) and the value wanted.</summary>
/// <param name="Key">The settings key.</param>
/// <param name="Current">The value on the cluster now, or null when not set (the application uses its default).</param>
/// <param name="Wanted">The value this run sets.</param>
public sealed record SettingChange(string Key, string? Current, string Wanted)
{
    /// <summary>"KEY: unset (default D) -> V" for messages.</summary>
    public string Describe(string defaultValue) =>
        $"{Key}: {(Current is null ? $"unset (default {defaultValue})" : Current)} -> {Wanted}";
}

/// <summary>
/// What SetBackupSchedule will do, decided from the arguments, the profile and the cluster before the first change:
/// every refusal is an <see cref="InvalidInputException"/> (exit 2, nothing changed). Made again once the lock is held.
/// </summary>
public sealed record BackupSchedulePlan : IRunbookPlan
{
    /// <summary>The profile's KAMONOHASHI names.</summary>
    public required KamonohashiSettings Settings { get; init; }

    /// <summary>The profile name.</summary>
    public required string Cluster { get; init; }

    /// <summary>The profile file (for --save-profile).</summary>
    public required string ProfilePath { get; init; }

    /// <summary>The application Deployment, rolled out after the change.</summary>
    public required Workload Application { get; init; }

    /// <summary>Where the application's settings live on the cluster.</summary>
    public required ISettingsStore Store { get; init; }

    /// <summary>The schedule asked for, or null when only --keep was given.</summary>
    public WeeklySchedule? Schedule { get; init; }

    /// <summary>The generations asked for, or null when only --schedule was given.</summary>
    public int? Keep { get; init; }

    /// <summary>Every setting asked for, with its value now.</summary>
    public required IReadOnlyList<SettingChange> Requested { get; init; }

    /// <summary>The settings whose value differs from the one asked for (empty: nothing to do).</summary>
    public IReadOnlyList<SettingChange> Changes => Requested.Where(s => s.Current != s.Wanted).ToList();

    /// <summary>True with --save-profile: the profile's schedule and retention get the same values.</summary>
    public bool SaveProfile { get; init; }

    /// <summary>The application's default for a key.</summary>
    public static string DefaultOf(string key) =>
        key == BackupTimerSettings.WeeklyTimeSchedule ? BackupTimerSettings.DefaultWeeklyTimeSchedule : BackupTimerSettings.DefaultMaxNumberOfBackupFiles;

    /// <inheritdoc />
    public string LockNamespace => Settings.Namespace;

    /// <inheritdoc />
    public OperationOpening? Opens => null;

    /// <summary>The plan of this run (made by the KAMONOHASHI module, and again under the lock).</summary>
    public static BackupSchedulePlan Of(RunbookContext context) => context.Plan<BackupSchedulePlan>();

    /// <summary>Builds the plan: validation and reads only.</summary>
    public static async Task<BackupSchedulePlan> BuildAsync(RunbookContext context, CancellationToken cancellationToken)
    {
        // The arguments first: a malformed schedule is refused before the cluster is even asked.
        var (schedule, keep) = ParseArguments(
            context.Arguments.HasArgument("schedule") ? context.Argument("schedule") ?? "" : null,
            context.Arguments.HasArgument("keep") ? context.Argument("keep") ?? "" : null);

        var settings = context.Profile.Require<KamonohashiSettings>();
        var application = Workload.Deployment(settings.Namespace, settings.Application.Name);
        ISettingsStore store = settings.SettingsConfigMap is { } map
            ? new ConfigMapSettings(context.Kubernetes, settings.Namespace, map)
            : new ContainerEnvSettings(context.Kubernetes, application);
        var wanted = new List<(string Key, string Value)>();
        if (schedule is not null) wanted.Add((BackupTimerSettings.WeeklyTimeSchedule, schedule.ToString()));
        if (keep is { } k) wanted.Add((BackupTimerSettings.MaxNumberOfBackupFiles, k.ToString(CultureInfo.InvariantCulture)));

        if (await new Kubernetes.Workloads.WorkloadOperations(context.Kubernetes).TryGetAsync(application, cancellationToken).ConfigureAwait(false) is null)
            throw new InvalidInputException($"{application} does not exist on cluster '{context.Profile.Name}' (profile {context.Profile.SourcePath}, kamonohashi.appDeployment): it is the application whose settings change.");
        IReadOnlyDictionary<string, string?> current;
        try
        {
            current = await store.ReadAsync(wanted.Select(w => w.Key).ToList(), cancellationToken).ConfigureAwait(false);
        }
        catch (SettingsLocationException e)
        {
            throw new InvalidInputException(e.Message, e);
        }

        return new BackupSchedulePlan
        {
            Settings = settings,
            Cluster = context.Profile.Name,
            ProfilePath = Path.GetFullPath(context.Profile.SourcePath, context.Environment.WorkingDirectory.FullPath),
            Application = application,
            Store = store,
            Schedule = schedule,
            Keep = keep,
            Requested = wanted.Select(w => new SettingChange(w.Key, current[w.Key], w.Value)).ToList(),
            SaveProfile = context.Arguments.HasArgument("save-profile"),
        };
    }

    /// <summary>
    /// Reads <c>--schedule</c> and <c>--keep</c> (null: not given; empty: given without a value): at least one is
    /// required, the schedule exactly in the application's format, keep a whole number from 1 to 1000.
    /// </summary>
    /// <exception cref="InvalidInputException">Neither is given, or one is malformed.</exception>
    public static (WeeklySchedule? Schedule, int? Keep) ParseArguments(string? schedule, string? keep)
    {
        var parsedSchedule = ParseSchedule(schedule, schedule is not null);
        var parsedKeep = ParseKeep(keep, keep is not null);
        if (parsedSchedule is null && parsedKeep is null)
            throw new InvalidInputException("--schedule=\"Sun=01:00:00;Mon=01:00:00\" and/or --keep=N is required: the weekly backup slots and the number of backups the application keeps.");
        return (parsedSchedule, parsedKeep);
    }

    private static WeeklySchedule? ParseSchedule(string? text, bool given)
    {
        if (!given) return null;
        if (string.IsNullOrEmpty(text))
            throw new InvalidInputException("--schedule is empty: give at least one slot, e.g. --schedule=\"Sun=01:00:00;Mon=01:00:00\".");
        return WeeklySchedule.TryParse(text, out var schedule, out var error, exact: true)
            ? schedule
            : throw new InvalidInputException($"--schedule=\"{text}\": {error}.");
    }

    private static int? ParseKeep(string? text, bool given)
    {
        if (!given) return null;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var keep) && keep is >= 1 and <= 1000
            ? keep
            : throw new InvalidInputException($"--keep=\"{text}\" is not a number of backups to keep from 1 to 1000.");
    }

}

using System.Globalization;
using System.Text.RegularExpressions;
using KubeRunbooks.Errors;

namespace KubeRunbooks.Secrets;

/// <summary>
/// A folder of sensitive files (certificates, keys, licenses) kept the way an operator does it by hand: the files in
/// place are renamed <c>NAME.yyyyMMdd</c> (a second time the same day <c>NAME.yyyyMMdd.1</c>, and so on: nothing is ever
/// overwritten), the new ones are copied in with mode 0600, and a rollback renames a dated set back. A failure part
/// way puts the folder back as it was.
/// </summary>
public sealed partial class SensitiveFolder
{
    private readonly Action<string> _log;

    /// <summary>Creates the folder's keeper.</summary>
    /// <param name="path">The folder.</param>
    /// <param name="log">Where progress lines go (names only, never content).</param>
    public SensitiveFolder(string path, Action<string>? log = null)
    {
        Path = path;
        _log = log ?? (_ => { });
    }

    /// <summary>The folder.</summary>
    public string Path { get; }

    /// <summary>
    /// Archives the files named by <paramref name="files"/> that exist (renamed with the first free dated suffix of
    /// <paramref name="today"/>, one suffix for the whole set) and installs the new content (temporary name, mode 0600,
    /// rename). Returns the archived set, or null when there was nothing to archive. Any failure restores the folder.
    /// </summary>
    public ArchivedSet? Replace(IReadOnlyList<SensitiveFile> files, DateOnly today)
    {
        Directory.CreateDirectory(Path);
        var present = files.Select(f => f.Name).Where(n => File.Exists(Full(n))).ToList();
        var suffix = FreeSuffix(files.Select(f => f.Name).ToList(), today);
        var moved = new List<string>();
        var installed = new List<string>();
        try
        {
            foreach (var name in present)
            {
                File.Move(Full(name), Full($"{name}.{suffix.Text}"));
                moved.Add(name);
            }

            foreach (var file in files)
            {
                Install(file);
                installed.Add(file.Name);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Undo(installed, moved, suffix.Text);
            throw new IOException($"installing {string.Join(", ", files.Select(f => f.Name))} in {Path} failed ({e.Message}); the folder is as it was", e);
        }

        var set = present.Count == 0 ? null : new ArchivedSet(suffix.Text, today, suffix.Sequence, present);
        if (set is not null) _log($"Archived {set.Describe()} in {Path}.");
        _log($"Installed {string.Join(", ", files.Select(f => f.Name))} in {Path} (mode 0600).");
        return set;
    }

    /// <summary>The dated sets that hold every one of <paramref name="names"/>, newest first.</summary>
    public IReadOnlyList<ArchivedSet> Sets(IReadOnlyList<string> names)
    {
        if (!Directory.Exists(Path)) return [];
        var suffixes = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(Path).Select(System.IO.Path.GetFileName))
        {
            foreach (var name in names)
            {
                if (file!.Length > name.Length + 1 && file.StartsWith(name + ".", StringComparison.Ordinal) && SuffixPattern().IsMatch(file[(name.Length + 1)..]))
                {
                    var s = file[(name.Length + 1)..];
                    if (!suffixes.TryGetValue(s, out var set)) suffixes[s] = set = new HashSet<string>(StringComparer.Ordinal);
                    set.Add(name);
                }
            }
        }

        return suffixes.Where(p => p.Value.Count == names.Count && DateOnly.TryParseExact(p.Key[..8], "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            .Select(p => ArchivedSet.FromSuffix(p.Key, names))
            .OrderByDescending(s => s.Date).ThenByDescending(s => s.Sequence).ToList();
    }

    /// <summary>
    /// The set a rollback puts back: the newest of <paramref name="date"/> (yyyyMMdd), or the newest of all. Invalid
    /// input (exit 2) when there is none, naming what the folder holds.
    /// </summary>
    public ArchivedSet FindSet(IReadOnlyList<string> names, string? date)
    {
        if (date is not null && !DateOnly.TryParseExact(date, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            throw new InvalidInputException($"--date={date} is not a date yyyyMMdd (for example --date=20260131).");
        var sets = Sets(names);
        var found = date is null ? sets.FirstOrDefault() : sets.FirstOrDefault(s => s.Suffix.StartsWith(date, StringComparison.Ordinal));
        if (found is not null) return found;
        var have = sets.Count == 0 ? "none" : string.Join("; ", sets.Select(s => s.Suffix));
        throw new InvalidInputException($"No archived set of {string.Join(" and ", names)}{(date is null ? "" : $" dated {date}")} in {Path} (dated sets there: {have}).");
    }

    /// <summary>
    /// Rolls back to <paramref name="set"/>: the files in place are kept as <c>NAME.rolledback-yyyyMMddHHmmss</c>, the set's
    /// files are renamed back (the seed's "rename back"). Returns the names the files in place were kept under. Any
    /// failure restores the folder.
    /// </summary>
    public IReadOnlyList<string> Restore(ArchivedSet set, DateTimeOffset now)
    {
        var keep = $"rolledback-{now.UtcDateTime:yyyyMMddHHmmss}";
        var kept = new List<string>();
        var restored = new List<string>();
        try
        {
            foreach (var name in set.Names.Where(n => File.Exists(Full(n))))
            {
                File.Move(Full(name), Full($"{name}.{keep}"));
                kept.Add(name);
            }

            foreach (var name in set.Names)
            {
                File.Move(Full($"{name}.{set.Suffix}"), Full(name));
                restored.Add(name);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            foreach (var name in restored) File.Move(Full(name), Full($"{name}.{set.Suffix}"));
            foreach (var name in kept) File.Move(Full($"{name}.{keep}"), Full(name));
            throw new IOException($"restoring {set.Describe()} in {Path} failed ({e.Message}); the folder is as it was", e);
        }

        _log($"Restored {set.Describe()} in {Path}" + (kept.Count == 0 ? "." : $"; the files in place are kept as {string.Join(", ", kept.Select(n => $"{n}.{keep}"))}."));
        return kept.Select(n => $"{n}.{keep}").ToList();
    }

    /// <summary>Undoes a <see cref="Restore"/> (for a failure in a later step): the files go back where they were.</summary>
    public void UndoRestore(ArchivedSet set, IReadOnlyList<string> kept)
    {
        foreach (var name in set.Names.Where(n => File.Exists(Full(n)))) File.Move(Full(name), Full($"{name}.{set.Suffix}"));
        foreach (var keptName in kept)
        {
            var name = keptName[..keptName.LastIndexOf(".rolledback-", StringComparison.Ordinal)];
            File.Move(Full(keptName), Full(name));
        }
    }

    /// <summary>Undoes a <see cref="Replace"/> (for a failure in a later step): the new files are removed, the archived set renamed back.</summary>
    public void UndoReplace(IReadOnlyList<SensitiveFile> files, ArchivedSet? archived)
    {
        Undo(files.Select(f => f.Name).ToList(), archived?.Names ?? [], archived?.Suffix ?? "");
        _log($"Put {Path} back as it was before this run.");
    }

    /// <summary>Reads a file of the folder, or null when it is absent.</summary>
    public byte[]? TryRead(string name) => File.Exists(Full(name)) ? File.ReadAllBytes(Full(name)) : null;

    private void Undo(IReadOnlyList<string> installed, IReadOnlyList<string> moved, string suffix)
    {
        foreach (var name in installed) File.Delete(Full(name));
        foreach (var name in moved) File.Move(Full($"{name}.{suffix}"), Full(name), overwrite: true);
    }

    private void Install(SensitiveFile file)
    {
        var temporary = Full($".{file.Name}.{Guid.NewGuid():N}.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(file.Content);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, Full(file.Name));
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    private (string Text, int Sequence) FreeSuffix(IReadOnlyList<string> names, DateOnly today)
    {
        var date = today.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        for (var n = 0; ; n++)
        {
            var text = n == 0 ? date : $"{date}.{n}";
            if (names.All(name => !File.Exists(Full($"{name}.{text}")))) return (text, n);
        }
    }

    private string Full(string name) => System.IO.Path.Combine(Path, name);

    [GeneratedRegex(@"^\d{8}(\.\d+)?$")]
    private static partial Regex SuffixPattern();
}

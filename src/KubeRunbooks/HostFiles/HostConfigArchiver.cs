using System.Security.Cryptography;
using System.Text;
using ICSharpCode.SharpZipLib.GZip;
using ICSharpCode.SharpZipLib.Tar;
using KubeRunbooks.Errors;

namespace KubeRunbooks.HostFiles;

/// <summary>
/// Collects a host's configuration files into one <c>.tar.gz</c> (what <c>cp -aR</c> into a dated folder, then
/// <c>tar -zcvf</c>, does by hand): owners, modes and times as the host has them; a manifest of what was present
/// and what was absent; the host's package list as <c>packages.txt</c>. The host's own <c>tar</c> reads the files
/// (<see cref="IHostCommands.ReadTarAsync"/>: run locally, or tar over exec by <c>PodFiles</c>), its stream is
/// re-packed entry by entry with SharpZipLib under the archive's layout,
/// so memory does not grow with the files' size. Written under a temporary name (mode 0600), read back, then
/// renamed, with its SHA-256 beside it as <c>NAME.sha256</c> (<c>sha256sum -c</c> format).
/// </summary>
public sealed class HostConfigArchiver
{
    /// <summary>The manifest's entry name.</summary>
    public const string ManifestName = "manifest.txt";

    /// <summary>The package list's entry name.</summary>
    public const string PackagesName = "packages.txt";

    // $1 is the root; each further argument a pattern. Prints "+PATH" per match, "-PATTERN" per pattern with none.
    // Exit 3 when the root cannot be entered.
    private const string ProbeScript =
        "cd \"$1\" || exit 3; shift; " +
        "for pat in \"$@\"; do found=0; " +
        "for p in $pat; do if [ -e \"$p\" ] || [ -L \"$p\" ]; then printf '+%s\\n' \"$p\"; found=1; fi; done; " +
        "[ $found = 1 ] || printf -- '-%s\\n' \"$pat\"; done";

    // The seed's `rpm -qa`; where rpm or its database is absent, the platform's own list. The first line names which.
    private const string PackagesScript =
        "r=\"$1\"; " +
        "if command -v rpm >/dev/null 2>&1 && [ -d \"$r/var/lib/rpm\" ]; then echo @rpm; exec rpm --root \"$r\" -qa; fi; " +
        "if command -v dpkg-query >/dev/null 2>&1 && [ -f \"$r/var/lib/dpkg/status\" ]; then echo @dpkg; exec dpkg-query --admindir=\"$r/var/lib/dpkg\" -W; fi; " +
        "echo @none";

    private readonly TimeProvider _time;

    /// <summary>Creates the archiver.</summary>
    /// <param name="time">The clock for the added entries' times (the system clock when null).</param>
    public HostConfigArchiver(TimeProvider? time = null) => _time = time ?? TimeProvider.System;

    /// <summary>Finds which patterns are present on the host (no archive written).</summary>
    /// <param name="host">Where the commands run.</param>
    /// <param name="selection">What to look for.</param>
    /// <param name="cancellationToken">Cancels the probe.</param>
    /// <returns>The present paths (globs expanded) and the absent patterns.</returns>
    /// <exception cref="InvalidInputException">The root cannot be entered, or a required pattern is absent.</exception>
    public async Task<(IReadOnlyList<string> Present, IReadOnlyList<string> Absent)> ProbeAsync(IHostCommands host, HostFileSelection selection, CancellationToken cancellationToken)
    {
        // Required paths inside a collected folder (etc/origin/node in etc/origin) are probed on their own.
        var extra = selection.Required.Except(selection.Patterns, StringComparer.Ordinal).ToList();
        var (exit, output, error) = await RunTextAsync(host, ["/bin/sh", "-c", ProbeScript, "sh", host.Root, .. selection.Patterns, .. extra], cancellationToken).ConfigureAwait(false);
        if (exit == 3) throw new InvalidInputException($"Cannot read {host.Description}: {host.Root} is not a folder that can be entered.");
        if (exit != 0) throw new HostArchiveException($"Listing the files of {host.Description} failed (exit {exit}): {Tail(error)}");
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var present = lines.Where(l => l[0] == '+').Select(l => l[1..]).Distinct(StringComparer.Ordinal).ToList();
        var absent = lines.Where(l => l[0] == '-').Select(l => l[1..]).ToList();
        var missing = selection.Required.Where(absent.Contains).ToList();
        if (missing.Count > 0)
            throw new InvalidInputException($"{host.Description} has no {string.Join(", ", missing.Select(m => "/" + m))}: it is not the filesystem this backup is for.");
        return (present.Except(extra, StringComparer.Ordinal).ToList(), absent.Except(extra, StringComparer.Ordinal).ToList());
    }

    /// <summary>Writes the archive of the host's selected files to <paramref name="archivePath"/>.</summary>
    /// <param name="host">Where the commands run.</param>
    /// <param name="selection">What to collect.</param>
    /// <param name="archivePath">The final path (its folder must exist; the file must not).</param>
    /// <param name="manifestHeader">Lines that open the manifest (what this backup is, of which host).</param>
    /// <param name="cancellationToken">Cancels the collection; the temporary file is removed.</param>
    /// <returns>What was written.</returns>
    public async Task<HostArchiveResult> CreateAsync(IHostCommands host, HostFileSelection selection, string archivePath, IReadOnlyList<string> manifestHeader, CancellationToken cancellationToken)
    {
        if (File.Exists(archivePath)) throw new InvalidInputException($"{archivePath} already exists: move it away first (a backup is never overwritten).");
        var (present, absent) = await ProbeAsync(host, selection, cancellationToken).ConfigureAwait(false);
        var (packageSource, packages) = await PackagesAsync(host, cancellationToken).ConfigureAwait(false);

        var folder = Path.GetDirectoryName(Path.GetFullPath(archivePath))!;
        var temp = Path.Combine(folder, $".{Path.GetFileName(archivePath)}.{Guid.NewGuid():N}.partial");
        var names = new List<string>();
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            await using (var file = new FileStream(temp, options))
            {
                // Disposing the tar writes its end blocks, then disposes the gzip stream, which writes its trailer.
                var gzip = new GZipOutputStream(file) { IsStreamOwner = false };
                using (var tar = new TarOutputStream(gzip, Encoding.UTF8) { IsStreamOwner = true })
                {
                    if (present.Count > 0) await CopyHostTarAsync(host, present, tar, names, cancellationToken).ConfigureAwait(false);
                    AddText(tar, PackagesName, packages, names);
                    AddText(tar, ManifestName, Manifest(manifestHeader, host, present, absent, packageSource), names);
                }
                await file.FlushAsync(cancellationToken).ConfigureAwait(false);
                file.Flush(flushToDisk: true);
            }

            var readBack = ReadNames(temp);
            if (!readBack.SequenceEqual(names, StringComparer.Ordinal))
                throw new HostArchiveException($"The archive of {host.Description} read back with {readBack.Count} entries where {names.Count} were written.");
            string sha256;
            long bytes;
            await using (var check = File.OpenRead(temp))
            {
                sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(check, cancellationToken).ConfigureAwait(false));
                bytes = check.Length;
            }
            File.Move(temp, archivePath, overwrite: false);
            Reporting.AtomicFile.WriteAllText(archivePath + ".sha256", $"{sha256}  {Path.GetFileName(archivePath)}\n");
            return new HostArchiveResult(archivePath, sha256, bytes, present, absent, packageSource, names.Count);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>The entry names of a <c>.tar.gz</c>, in order.</summary>
    public static IReadOnlyList<string> ReadNames(string archivePath)
    {
        using var file = File.OpenRead(archivePath);
        using var gzip = new GZipInputStream(file);
        using var tar = new TarInputStream(gzip, Encoding.UTF8);
        var names = new List<string>();
        while (tar.GetNextEntry() is { } entry)
        {
            names.Add(entry.Name);
        }
        return names;
    }

    private static Task CopyHostTarAsync(IHostCommands host, IReadOnlyList<string> present, TarOutputStream tar, List<string> names, CancellationToken cancellationToken) =>
        host.ReadTarAsync(present, input =>
        {
            using var entries = new TarInputStream(input, Encoding.UTF8) { IsStreamOwner = false };
            while (entries.GetNextEntry() is { } entry)
            {
                tar.PutNextEntry(entry); // the host's header: owner ids and names, mode, mtime, type, link target
                if (!entry.IsDirectory && entry.Size > 0) entries.CopyEntryContents(tar);
                tar.CloseEntry();
                names.Add(entry.Name);
            }
            return names.Count;
        }, cancellationToken);

    private async Task<(string Source, string Text)> PackagesAsync(IHostCommands host, CancellationToken cancellationToken)
    {
        var (exit, output, error) = await RunTextAsync(host, ["/bin/sh", "-c", PackagesScript, "sh", host.Root], cancellationToken).ConfigureAwait(false);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        var marker = lines.Count > 0 ? lines[0] : "";
        if (exit != 0 || !marker.StartsWith('@'))
            throw new HostArchiveException($"Listing the packages of {host.Description} failed (exit {exit}): {Tail(error)}");
        // `| sort` in the seed: byte order (LC_ALL=C), done here so the remote side needs no sort.
        var list = lines.Skip(1).Order(StringComparer.Ordinal).ToList();
        return marker switch
        {
            "@rpm" => ("rpm -qa", string.Join('\n', list) + "\n"),
            "@dpkg" => ("dpkg-query -W",
                "# rpm is absent on this host: this is the platform's own package list (dpkg-query -W), not rpm -qa\n" + string.Join('\n', list) + "\n"),
            _ => ("none", "# neither rpm nor dpkg has a package database on this host: no package list\n"),
        };
    }

    private static string Manifest(IReadOnlyList<string> header, IHostCommands host, IReadOnlyList<string> present, IReadOnlyList<string> absent, string packageSource)
    {
        var text = new StringBuilder();
        foreach (var line in header) text.Append("# ").Append(line).Append('\n');
        text.Append("# source: ").Append(host.Description).Append('\n');
        foreach (var path in present) text.Append("present /").Append(path).Append('\n');
        foreach (var path in absent) text.Append("absent /").Append(path).Append('\n');
        text.Append("packages ").Append(packageSource).Append('\n');
        return text.ToString();
    }

    private void AddText(TarOutputStream tar, string name, string content, List<string> names)
    {
        var bytes = Encoding.UTF8.GetBytes(content);
        var entry = TarEntry.CreateTarEntry(name);
        entry.Size = bytes.Length;
        entry.ModTime = _time.GetUtcNow().UtcDateTime;
        entry.TarHeader.Mode = Convert.ToInt32("644", 8);
        entry.UserId = 0;
        entry.GroupId = 0;
        entry.UserName = "root";
        entry.GroupName = "root";
        tar.PutNextEntry(entry);
        tar.Write(bytes, 0, bytes.Length);
        tar.CloseEntry();
        names.Add(name);
    }

    private static async Task<(int Exit, string Output, string Error)> RunTextAsync(IHostCommands host, IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        using var stdout = new MemoryStream();
        using var stderr = new MemoryStream();
        var exit = await host.RunAsync(command, stdout, stderr, cancellationToken).ConfigureAwait(false);
        return (exit, Encoding.UTF8.GetString(stdout.ToArray()), Encoding.UTF8.GetString(stderr.ToArray()));
    }

    // The end of a command's error output, on one line, for a message.
    internal static string Tail(string text)
    {
        var trimmed = text.Trim().ReplaceLineEndings(" ");
        return trimmed.Length <= 300 ? trimmed : "..." + trimmed[^300..];
    }
}

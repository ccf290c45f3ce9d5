using System.Globalization;

namespace KubeRunbooks.Backups;

/// <summary>
/// Bytes and rate of a long transfer, rewritten in place at most once a second on an interactive terminal; nothing in
/// a CI log or a redirected stream (the run's log gets the final size from the task).
/// </summary>
public sealed class TransferProgress : IProgress<long>
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private readonly string _label;
    private readonly TextWriter _writer;
    private readonly TimeProvider _clock;
    private readonly DateTimeOffset _started;
    private TimeSpan? _lastShown;

    /// <summary>Writes to <paramref name="writer"/> (a terminal).</summary>
    /// <param name="label">What is transferred, shown first.</param>
    /// <param name="writer">The terminal.</param>
    /// <param name="clock">The clock of the rate and the once-a-second limit; the system's by default.</param>
    public TransferProgress(string label, TextWriter writer, TimeProvider? clock = null)
    {
        _label = label;
        _writer = writer;
        _clock = clock ?? TimeProvider.System;
        _started = _clock.GetUtcNow();
    }

    /// <summary>A progress line on stderr when it is a terminal outside CI, otherwise null (quiet).</summary>
    public static TransferProgress? ForConsole(string label) =>
        IsQuiet(Console.IsErrorRedirected, Environment.GetEnvironmentVariable) ? null : new TransferProgress(label, Console.Error);

    /// <summary>Whether progress stays quiet: stderr redirected (a log file, a pipe) or a CI run (<c>CI</c>, Azure's <c>TF_BUILD</c>).</summary>
    public static bool IsQuiet(bool errorRedirected, Func<string, string?> environment) =>
        errorRedirected || environment("CI") is not null || environment("TF_BUILD") is not null;

    /// <inheritdoc />
    public void Report(long value)
    {
        var elapsed = _clock.GetUtcNow() - _started;
        if (_lastShown is { } last && elapsed - last < Interval) return;
        _lastShown = elapsed;
        _writer.Write("\r" + Format(_label, value, elapsed) + "   ");
        _writer.Flush();
    }

    /// <summary>Ends the progress line (when one was shown), so the next output starts on a line of its own.</summary>
    public void Finish()
    {
        if (_lastShown is null) return;
        _writer.WriteLine();
        _writer.Flush();
    }

    /// <summary>The text shown, e.g. <c>dump: 512.0 MiB, 61.2 MiB/s</c>.</summary>
    public static string Format(string label, long bytes, TimeSpan elapsed)
    {
        var mib = bytes / (1024.0 * 1024.0);
        var rate = elapsed.TotalSeconds > 0 ? mib / elapsed.TotalSeconds : 0;
        return string.Create(CultureInfo.InvariantCulture, $"{label}: {mib:F1} MiB, {rate:F1} MiB/s");
    }
}

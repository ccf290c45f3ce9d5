using System.Diagnostics;
using System.Globalization;

namespace KubeRunbooks.Backups;

/// <summary>
/// Bytes and rate of a long transfer, rewritten in place at most once a second on an interactive terminal; nothing in
/// a CI log or a redirected stream (the run's log gets the final size from the task).
/// </summary>
public sealed class TransferProgress : IProgress<long>
{
    private readonly string _label;
    private readonly TextWriter _writer;
    private readonly Stopwatch _watch = Stopwatch.StartNew();
    private TimeSpan _lastShown = TimeSpan.MinValue;

    /// <summary>Writes to <paramref name="writer"/> (a terminal).</summary>
    public TransferProgress(string label, TextWriter writer)
    {
        _label = label;
        _writer = writer;
    }

    /// <summary>A progress line on stderr when it is a terminal outside CI, otherwise null (quiet).</summary>
    public static TransferProgress? ForConsole(string label) =>
        Console.IsErrorRedirected || Environment.GetEnvironmentVariable("CI") is not null || Environment.GetEnvironmentVariable("TF_BUILD") is not null
            ? null
            : new TransferProgress(label, Console.Error);

    /// <inheritdoc />
    public void Report(long value)
    {
        var elapsed = _watch.Elapsed;
        if (elapsed - _lastShown < TimeSpan.FromSeconds(1)) return;
        _lastShown = elapsed;
        _writer.Write("\r" + Format(_label, value, elapsed) + "   ");
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

using System.Globalization;

namespace KubeRunbooks.Simulator.Tables;

/// <summary>Durations as kubectl prints them in AGE columns (<c>45s</c>, <c>5m12s</c>, <c>3h</c>, <c>2d4h</c>).</summary>
internal static class AgeFormat
{
    public static string Since(string? timestamp, DateTimeOffset now)
    {
        if (!DateTimeOffset.TryParse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)) return "<unknown>";
        return Duration(now - at);
    }

    public static string Duration(TimeSpan span)
    {
        var seconds = (long)Math.Max(0, span.TotalSeconds);
        if (seconds < 120) return $"{seconds}s";
        var minutes = seconds / 60;
        if (minutes < 10) return seconds % 60 == 0 ? $"{minutes}m" : $"{minutes}m{seconds % 60}s";
        if (minutes < 180) return $"{minutes}m";
        var hours = minutes / 60;
        if (hours < 8) return minutes % 60 == 0 ? $"{hours}h" : $"{hours}h{minutes % 60}m";
        if (hours < 48) return $"{hours}h";
        var days = hours / 24;
        if (days < 8) return hours % 24 == 0 ? $"{days}d" : $"{days}d{hours % 24}h";
        return days < 365 * 2 ? $"{days}d" : $"{days / 365}y{days % 365}d";
    }
}

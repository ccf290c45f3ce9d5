using System.Text.RegularExpressions;

namespace KubeRunbooks.Redis;

/// <summary>
/// The edits of a <c>redis.conf</c> text that a dump restore makes (the 3scale seed's "comment the save lines, set
/// appendonly to no"): with no save point and no append-only file, a Redis that stops writes nothing over the dump
/// copied in, and a Redis that starts loads that dump. Commenting the save lines alone is not enough: a Redis whose
/// file has no <c>save</c> line uses its default save points and saves its (old) data over the dump when it stops,
/// so a <c>save ""</c> line is added.
/// </summary>
public static partial class RedisPersistenceConfig
{
    /// <summary>The line that turns every save point off.</summary>
    public const string NoSavePoints = "save \"\"";

    /// <summary>The text with every <c>save</c> line commented (<c>#save 900 1</c>), <c>save ""</c> added, and <c>appendonly no</c> (set or added).</summary>
    public static string WithoutPersistence(string text)
    {
        var newline = text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var sawAppendOnly = false;
        for (var i = 0; i < lines.Count; i++)
        {
            if (SaveLine().IsMatch(lines[i])) lines[i] = "#" + lines[i].TrimStart();
            else if (AppendOnlyLine().IsMatch(lines[i])) { lines[i] = "appendonly no"; sawAppendOnly = true; }
        }
        var added = new List<string> { NoSavePoints };
        if (!sawAppendOnly) added.Add("appendonly no");
        if (lines.Count > 0 && lines[^1].Length == 0) lines.InsertRange(lines.Count - 1, added);
        else lines.AddRange(added);
        return string.Join(newline, lines);
    }

    /// <summary>True when the text turns the append-only file on (its last <c>appendonly</c> line says <c>yes</c>).</summary>
    public static bool AppendOnly(string text) =>
        text.Split('\n').Select(l => l.Trim()).Where(l => AppendOnlyLine().IsMatch(l)).LastOrDefault() is { } line &&
        line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(1)?.Trim('"').Equals("yes", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>True when the text has at least one active <c>save</c> point (a <c>save ""</c> line turns them off).</summary>
    public static bool HasSavePoints(string text) =>
        text.Split('\n').Select(l => l.Trim()).Where(l => SaveLine().IsMatch(l)).LastOrDefault() is { } line &&
        line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Skip(1).Any(a => a.Trim('"').Length > 0);

    [GeneratedRegex(@"^\s*save(\s|$)", RegexOptions.IgnoreCase)]
    private static partial Regex SaveLine();

    [GeneratedRegex(@"^\s*appendonly(\s|$)", RegexOptions.IgnoreCase)]
    private static partial Regex AppendOnlyLine();
}

using System.Text.RegularExpressions;
using KubeRunbooks.Errors;

namespace KubeRunbooks.Clusters.Yaml;

/// <summary>
/// Writes the weekly schedule (<c>schedule:</c>) and the retention (<c>backups.retention:</c>) into a profile's text,
/// line by line so the operator's comments, order and layout stay as they were (a YAML round trip would drop the
/// comments). The result is parsed again and must give back exactly the values written.
/// </summary>
public static partial class ProfileScheduleEditor
{
    /// <summary>Returns the profile text with the values set; <paramref name="retention"/> null leaves it as it is.</summary>
    /// <param name="file">The file, for messages.</param>
    /// <param name="text">The profile's content.</param>
    /// <param name="schedule">The schedule to write, or null to leave it.</param>
    /// <param name="retention">The number of backups kept, or null to leave it.</param>
    /// <param name="products">The product sections the profile may hold (the edited file is read back with them).</param>
    /// <exception cref="InvalidInputException">The file's layout cannot be edited safely (a flow-style <c>backups: { }</c>).</exception>
    public static string Apply(string file, string text, WeeklySchedule? schedule, int? retention, IReadOnlyList<Products.ProductSection> products)
    {
        var newline = text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
        var lines = text.Length == 0 ? new List<string>() : text.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        // A trailing newline leaves one empty last element: keep it last so appended keys come before it.
        var endsWithNewline = lines.Count > 0 && lines[^1].Length == 0;
        if (endsWithNewline) lines.RemoveAt(lines.Count - 1);

        if (schedule is not null) SetSchedule(lines, schedule.ToString());
        if (retention is { } keep) SetRetention(file, lines, keep);

        var result = string.Join(newline, lines) + newline;
        var parsed = ProfileParser.Parse("check", file, result, Path.GetTempPath(), products: products);
        if ((schedule is not null && !parsed.Schedule.Equals(schedule)) || (retention is { } r && parsed.Backups.Retention != r))
            throw new InvalidInputException($"{file}: the edited profile does not read back as schedule {schedule} and retention {retention}: edit it by hand.");
        return result;
    }

    private static void SetSchedule(List<string> lines, string value)
    {
        for (var i = 0; i < lines.Count; i++)
        {
            var match = TopLevelKey().Match(lines[i]);
            if (match.Success && match.Groups["key"].Value == "schedule")
            {
                lines[i] = $"schedule: {value}{match.Groups["comment"].Value}";
                return;
            }
        }

        lines.Add($"schedule: {value}");
    }

    private static void SetRetention(string file, List<string> lines, int keep)
    {
        var start = lines.FindIndex(l => TopLevelKey().Match(l) is { Success: true } m && m.Groups["key"].Value == "backups");
        if (start < 0)
        {
            lines.Add("backups:");
            lines.Add($"  retention: {keep}");
            return;
        }

        var header = TopLevelKey().Match(lines[start]);
        if (header.Groups["value"].Value.Trim().Length > 0)
            throw new InvalidInputException($"{file}:{start + 1}: backups is written on one line ({header.Groups["value"].Value.Trim()}): write it as a block to let --save-profile edit it, or set retention: {keep} by hand.");

        var indent = "  ";
        for (var i = start + 1; i < lines.Count; i++)
        {
            var line = lines[i];
            if (line.Trim().Length == 0 || line.TrimStart().StartsWith('#')) continue;
            if (!char.IsWhiteSpace(line[0])) break;
            var child = ChildKey().Match(line);
            if (!child.Success) continue;
            indent = child.Groups["indent"].Value;
            if (child.Groups["key"].Value == "retention")
            {
                lines[i] = $"{indent}retention: {keep}{child.Groups["comment"].Value}";
                return;
            }
        }

        lines.Insert(start + 1, $"{indent}retention: {keep}");
    }

    [GeneratedRegex(@"^(?<key>[A-Za-z][A-Za-z0-9_]*)\s*:(?<value>[^#]*?)(?<comment>\s+#.*)?$")]
    private static partial Regex TopLevelKey();

    [GeneratedRegex(@"^(?<indent>\s+)(?<key>[A-Za-z][A-Za-z0-9_]*)\s*:(?<value>[^#]*?)(?<comment>\s+#.*)?$")]
    private static partial Regex ChildKey();
}

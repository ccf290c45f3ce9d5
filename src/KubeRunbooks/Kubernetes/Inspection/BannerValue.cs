namespace KubeRunbooks.Kubernetes.Inspection;

/// <summary>
/// Finds a value a program prints once between two lines of asterisks (a first-start key, for example):
/// <code>
/// ... - ****************************
/// ... - *      VALUE=               *
/// ... - ****************************
/// </code>
/// Log prefixes before the banner are ignored.
/// </summary>
public static class BannerValue
{
    /// <summary>The value of the last banner in <paramref name="lines"/>, or null when there is none.</summary>
    public static string? Find(IReadOnlyList<string> lines)
    {
        string? found = null;
        for (var i = 0; i + 2 < lines.Count; i++)
        {
            if (!IsRule(lines[i]) || !IsRule(lines[i + 2])) continue;
            var middle = Message(lines[i + 2], lines[i + 1]).Trim();
            if (middle.Length < 3 || middle[0] != '*' || middle[^1] != '*') continue;
            var value = middle[1..^1].Trim();
            if (value.Length > 0) found = value;
        }

        return found;
    }

    private static bool IsRule(string line)
    {
        var trimmed = line.TrimEnd();
        var stars = trimmed.Length - trimmed.TrimEnd('*').Length;
        return stars >= 10 && trimmed.TrimEnd('*').EndsWith(' ') || stars >= 10 && stars == trimmed.Length;
    }

    // The middle line carries the same log prefix as the rule below it: the message starts where the rule's stars do.
    private static string Message(string rule, string line)
    {
        var start = rule.TrimEnd().Length - (rule.TrimEnd().Length - rule.TrimEnd().TrimEnd('*').Length);
        return line.Length > start ? line[start..] : line;
    }
}

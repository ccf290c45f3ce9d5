using System.Globalization;
using System.Text;

namespace KubeRunbooks.Reporting;

/// <summary>Renders a <see cref="RunJournal"/> as <c>report.md</c>: the same content as the JSON, for people.</summary>
internal static class ReportMarkdown
{
    public static string Render(RunJournal journal)
    {
        var mask = journal.Masker;
        var md = new StringBuilder();
        md.Append(CultureInfo.InvariantCulture, $"# {Cell(journal.Target)} on {Cell(journal.Cluster)}: {journal.Result}\n\n");
        md.Append("| | |\n|---|---|\n");
        md.Append(CultureInfo.InvariantCulture, $"| Target | {Cell(journal.Target)} |\n");
        md.Append(CultureInfo.InvariantCulture, $"| Cluster | {Cell(journal.Cluster)} |\n");
        md.Append(CultureInfo.InvariantCulture, $"| Started (UTC) | {Time(journal.StartedAt)} |\n");
        md.Append(CultureInfo.InvariantCulture, $"| Ended (UTC) | {Time(journal.EndedAt)} |\n");
        md.Append(CultureInfo.InvariantCulture, $"| Duration | {Duration(journal.EndedAt - journal.StartedAt)} |\n");
        var exit = journal.ExitCode is { } code ? $"{(int)code} ({code})" : "-";
        md.Append(CultureInfo.InvariantCulture, $"| Result | **{journal.Result}**, exit code {exit} |\n");

        md.Append("\n## Steps\n\n| # | Task | Outcome | Started (UTC) | Duration | Message |\n|---|---|---|---|---|---|\n");
        var tasks = journal.Tasks;
        for (var i = 0; i < tasks.Count; i++)
        {
            var t = tasks[i];
            md.Append(CultureInfo.InvariantCulture,
                $"| {i + 1} | {Cell(t.Name)} | {t.Outcome} | {Time(t.StartedAt)} | {Duration(t.Duration)} | {Cell(mask.Mask(t.Message))} |\n");
        }

        AppendMap(md, "## Arguments", journal.Arguments, mask);
        AppendMap(md, "## Facts", journal.Facts, mask);
        foreach (var t in tasks.Where(t => t.Facts.Count > 0))
        {
            AppendMap(md, $"### Facts of {Cell(t.Name)}", t.Facts, mask);
        }

        return md.ToString();
    }

    private static void AppendMap(StringBuilder md, string heading, IReadOnlyList<KeyValuePair<string, string>> map, SecretMasker mask)
    {
        if (map.Count == 0)
        {
            return;
        }

        md.Append(CultureInfo.InvariantCulture, $"\n{heading}\n\n| Name | Value |\n|---|---|\n");
        foreach (var (key, value) in map)
        {
            md.Append(CultureInfo.InvariantCulture, $"| {Cell(key)} | {Cell(mask.Mask(value))} |\n");
        }
    }

    private static string Time(DateTimeOffset? time) =>
        time?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "-";

    private static string Duration(TimeSpan? span) =>
        span is { } s ? $"{(int)s.TotalHours:00}:{s.ToString(@"mm\:ss\.f", CultureInfo.InvariantCulture)}" : "-";

    // A table cell is one line and must not close itself.
    private static string Cell(string? text) =>
        string.IsNullOrEmpty(text) ? "" : text.Replace("\r", "").Replace("\n", " ").Replace("|", "\\|");
}

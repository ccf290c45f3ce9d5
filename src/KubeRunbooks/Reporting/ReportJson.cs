using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace KubeRunbooks.Reporting;

/// <summary>Renders a <see cref="RunJournal"/> as <c>report.json</c> (stable key order, ISO-8601 UTC times).</summary>
internal static class ReportJson
{
    public static string Render(RunJournal journal)
    {
        var mask = journal.Masker;
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("target", journal.Target);
            json.WriteString("cluster", journal.Cluster);
            json.WriteString("startedAt", journal.StartedAt.UtcDateTime);
            WriteTime(json, "endedAt", journal.EndedAt);
            WriteSeconds(json, "durationSeconds", journal.EndedAt - journal.StartedAt);
            json.WriteString("result", journal.Result);
            if (journal.ExitCode is { } code)
            {
                json.WriteNumber("exitCode", (int)code);
            }
            else
            {
                json.WriteNull("exitCode");
            }

            WriteMap(json, "arguments", journal.Arguments, mask);
            WriteMap(json, "facts", journal.Facts, mask);
            json.WriteStartArray("tasks");
            foreach (var task in journal.Tasks)
            {
                json.WriteStartObject();
                json.WriteString("name", task.Name);
                json.WriteString("outcome", task.Outcome.ToString());
                json.WriteString("startedAt", task.StartedAt.UtcDateTime);
                WriteTime(json, "endedAt", task.EndedAt);
                WriteSeconds(json, "durationSeconds", task.Duration);
                json.WriteString("message", mask.Mask(task.Message));
                WriteMap(json, "facts", task.Facts, mask);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void WriteTime(Utf8JsonWriter json, string name, DateTimeOffset? value)
    {
        if (value is { } time)
        {
            json.WriteString(name, time.UtcDateTime);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static void WriteSeconds(Utf8JsonWriter json, string name, TimeSpan? value)
    {
        if (value is { } span)
        {
            json.WriteNumber(name, Math.Round(span.TotalSeconds, 3));
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static void WriteMap(Utf8JsonWriter json, string name, IEnumerable<KeyValuePair<string, string>> map, SecretMasker mask)
    {
        json.WriteStartObject(name);
        foreach (var (key, value) in map)
        {
            json.WriteString(key, mask.Mask(value));
        }

        json.WriteEndObject();
    }
}

using System.Text.Json.Nodes;
using KubeRunbooks.Simulator.Audit;

namespace KubeRunbooks.Tests.Simulator.Audit;

/// <summary>The one writer of the audit and access logs: whole lines under concurrency, readable while open, appended across opens.</summary>
[TestFixture]
public sealed class JsonLinesFileTests
{
    private string _folder = "";

    [SetUp]
    public void NewFolder() => _folder = Path.Combine(Path.GetTempPath(), "kr-jsonl-" + Guid.NewGuid().ToString("N")[..12]);

    [TearDown]
    public void RemoveFolder()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    [Test]
    public async Task Concurrent_appends_leave_whole_lines_each_once()
    {
        var path = Path.Combine(_folder, "nested", "log.jsonl");
        using (var file = new JsonLinesFile(path))
        {
            var writers = Enumerable.Range(0, 8).Select(w => Task.Run(() =>
            {
                for (var i = 0; i < 250; i++) file.Append(new JsonObject { ["writer"] = w, ["i"] = i, ["pad"] = new string('x', 300) }.ToJsonString());
            }));
            await Task.WhenAll(writers);
        }

        var lines = await File.ReadAllLinesAsync(path);
        var seen = lines.Select(l => JsonNode.Parse(l)!).Select(n => ((int)n["writer"]!, (int)n["i"]!)).ToHashSet();
        Assert.Multiple(() =>
        {
            Assert.That(lines, Has.Length.EqualTo(2000));
            Assert.That(seen, Has.Count.EqualTo(2000), "every line parses and is there once");
        });
    }

    [Test]
    public void A_line_is_readable_as_soon_as_it_is_appended_and_a_reopen_appends()
    {
        var path = Path.Combine(_folder, "log.jsonl");
        using (var file = new JsonLinesFile(path))
        {
            file.Append("""{"n":1}""");
            using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));
            Assert.That(reader.ReadToEnd(), Is.EqualTo("{\"n\":1}\n"), "flushed line by line, not on close");
        }
        using (var again = new JsonLinesFile(path)) again.Append("""{"n":2}""");

        Assert.That(File.ReadAllLines(path), Is.EqualTo(new[] { """{"n":1}""", """{"n":2}""" }));
    }
}

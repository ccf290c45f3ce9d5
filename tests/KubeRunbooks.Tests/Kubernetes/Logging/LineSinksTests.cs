using Cake.Core.Diagnostics;
using KubeRunbooks.Kubernetes.Logging;

namespace KubeRunbooks.Tests.Kubernetes.Logging;

[TestFixture]
public class LineSinksTests
{
    private sealed class RecordingLog : ICakeLog
    {
        public List<(Verbosity, LogLevel, string)> Entries { get; } = [];

        public Verbosity Verbosity { get; set; } = Verbosity.Diagnostic;

        public void Write(Verbosity verbosity, LogLevel level, string format, params object[] args) =>
            Entries.Add((verbosity, level, string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args)));
    }

    [Test]
    public void Lines_with_braces_reach_the_Cake_log_verbatim()
    {
        var log = new RecordingLog();
        var sink = LineSinks.ToCakeLog(log);
        sink("{\"level\":\"info\"} done {0}");
        Assert.That(log.Entries.Single(), Is.EqualTo((Verbosity.Normal, LogLevel.Information, "{\"level\":\"info\"} done {0}")));
    }

    [Test]
    public void Prefixed_adds_the_prefix()
    {
        var lines = new List<string>();
        LineSinks.Prefixed(lines.Add, "[mongobackup] ")("ok");
        Assert.That(lines, Is.EqualTo(new[] { "[mongobackup] ok" }));
    }
}

using Cake.Core.Diagnostics;
using KubeRunbooks.Reporting;

namespace KubeRunbooks.Tests.Reporting;

public sealed class MaskingCakeLogTests
{
    private sealed class RecordingLog : ICakeLog
    {
        public List<string> Lines { get; } = [];

        public Verbosity Verbosity { get; set; } = Verbosity.Normal;

        public void Write(Verbosity verbosity, LogLevel level, string format, params object[] args) =>
            Lines.Add(args.Length == 0 ? format : string.Format(format, args));
    }

    [Test]
    public void Secrets_are_masked_in_the_format_and_in_the_arguments()
    {
        var inner = new RecordingLog();
        var masker = new SecretMasker();
        masker.Register("s3cr3t-token");
        var log = new MaskingCakeLog(inner, masker);

        log.Information("token s3cr3t-token in the text");
        log.Information("token {0} as an argument", "s3cr3t-token");
        log.Information("braces {{kept}} without arguments");

        Assert.That(inner.Lines, Is.EqualTo(new[] { "token *** in the text", "token *** as an argument", "braces {{kept}} without arguments" }));
    }

    [Test]
    public void A_secret_registered_later_is_masked_from_then_on()
    {
        var inner = new RecordingLog();
        var masker = new SecretMasker();
        var log = new MaskingCakeLog(inner, masker);

        log.Information("before hunter2");
        masker.Register("hunter2");
        log.Information("after hunter2");

        Assert.That(inner.Lines, Is.EqualTo(new[] { "before hunter2", "after ***" }));
    }

    [Test]
    public void Registered_is_raised_once_per_new_value()
    {
        var masker = new SecretMasker();
        var seen = new List<string>();
        masker.Registered += seen.Add;

        masker.Register("a-secret");
        masker.Register("a-secret");
        masker.Register(" ");
        masker.Register("another");

        Assert.That(seen, Is.EqualTo(new[] { "a-secret", "another" }));
    }
}

namespace KubeRunbooks.Tests.Pipelines;

/// <summary>
/// A secret a task needs comes from its environment variable; unattended (the test runner has no terminal, as a CI
/// runner has none) nothing prompts: one error line naming the variable, exit 2.
/// </summary>
[TestFixture]
public sealed class SecretReaderCommandLineTests
{
    private const string Tasks = "KubeRunbooks.Tests.Pipelines.Scenarios.Prompts";

    [Test]
    public void Without_the_variable_and_no_terminal_the_run_ends_with_one_line_naming_the_variable()
    {
        var variable = "KR_TEST_SECRET_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var outcome = Frosting.HostHarness.Run(Tasks, ["--variable=" + variable]);

        Assert.That(outcome.ExitCode, Is.EqualTo(2), outcome.Out + outcome.Error);
        Assert.That(outcome.ErrorLines, Is.EqualTo(new[] { $"error: the new database password is needed and there is no terminal to ask on: set {variable} or pass --password-file=PATH." }));
        Assert.That(outcome.Journal.Entries, Is.Empty);
    }

    [Test]
    public void The_variable_supplies_the_value_and_it_is_masked_from_then_on()
    {
        var variable = "KR_TEST_SECRET_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        Environment.SetEnvironmentVariable(variable, "s3cr3t-value");
        try
        {
            var outcome = Frosting.HostHarness.Run(Tasks, ["--variable=" + variable]);

            Assert.That(outcome.ExitCode, Is.EqualTo(0), outcome.Out + outcome.Error);
            Assert.That(outcome.Journal.Entries, Is.EqualTo(new[] { "read 12 characters, logged as password=***" }));
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }
}

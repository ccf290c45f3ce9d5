using KubeRunbooks.Kubernetes.Exec;

namespace KubeRunbooks.Tests.Kubernetes.Exec;

[TestFixture]
public class ExecStatusTests
{
    private static readonly ExecRequest Request = new("db", "postgres-0", "postgres", ["pg_dumpall", "--password=secret"]);

    [Test]
    public void Success_is_exit_code_zero()
    {
        Assert.That(PodExec.ExitCodeOf("""{"metadata":{},"status":"Success"}""", Request), Is.Zero);
    }

    [Test]
    public void NonZeroExitCode_reads_the_ExitCode_cause()
    {
        const string status = """{"metadata":{},"status":"Failure","message":"command terminated with non-zero exit code: error executing command [sh -c exit 3], exit code 3","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"3"}]}}""";
        Assert.That(PodExec.ExitCodeOf(status, Request), Is.EqualTo(3));
    }

    [Test]
    public void A_missing_status_is_an_error_and_does_not_show_the_arguments()
    {
        var e = Assert.Throws<ExecFailedException>(() => PodExec.ExitCodeOf("", Request));
        Assert.That(e!.Message, Is.EqualTo("Exec of 'pg_dumpall' in db/postgres-0 container postgres ended without an exit status (connection closed early)."));
        Assert.That(e.Message, Does.Not.Contain("secret"));
    }

    [Test]
    public void Another_failure_is_an_error_with_the_servers_message()
    {
        const string status = """{"metadata":{},"status":"Failure","message":"container not found","reason":"InternalError"}""";
        var e = Assert.Throws<ExecFailedException>(() => PodExec.ExitCodeOf(status, Request));
        Assert.That(e!.Message, Does.EndWith("failed: container not found."));
    }

    [Test]
    public void Garbage_is_an_error()
    {
        Assert.That(() => PodExec.ExitCodeOf("{not json", Request), Throws.InstanceOf<ExecFailedException>().With.Message.Contains("unreadable status"));
    }
}

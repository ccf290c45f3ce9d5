using System.Diagnostics;
using KubeRunbooks.Simulator.Runtime;

namespace KubeRunbooks.Tests.Simulator.Runtime;

/// <summary>
/// Containers run under bwrap's <c>--die-with-parent</c> (<c>PR_SET_PDEATHSIG</c>), whose "parent" is the thread that
/// forked the process, not the process: a container started from a thread-pool thread was SIGKILLed when that thread
/// retired (exit 137 of databases and of every exec in the pod, seen under load). The launcher forks from one thread
/// that lives as long as the simulator.
/// </summary>
[TestFixture]
public sealed class ProcessLauncherTests
{
    private static readonly Dictionary<string, string> Env = new() { ["PATH"] = "/usr/sbin:/usr/bin:/sbin:/bin" };

    [Test]
    public void A_process_with_a_parent_death_signal_outlives_the_thread_that_started_it()
    {
        Process? process = null;
        // The same kernel mechanism as bwrap --die-with-parent, without a sandbox.
        var starter = new Thread(() =>
        {
            process = ProcessLauncher.Start(["setpriv", "--pdeathsig", "KILL", "--", "sleep", "60"], Env, "/");
            // The thread ends only once the signal is armed: setpriv has set it and become sleep (a pool thread
            // retires long after the container started).
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (ReadComm(process.Id) != "sleep" && !process.HasExited && DateTime.UtcNow < deadline) Thread.Sleep(10);
        });
        starter.Start();
        starter.Join();
        try
        {
            // The signal would come at once when the starting thread ends; a bounded wait for it not to come.
            Assert.That(process!.WaitForExit(TimeSpan.FromSeconds(3)), Is.False,
                $"the process ended (exit {(process.HasExited ? process.ExitCode : 0)}) when the thread that started it ended");
        }
        finally
        {
            ProcessLauncher.KillNow(process!);
        }
    }

    private static string ReadComm(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/comm").Trim(); }
        catch (IOException) { return ""; }
    }

    [Test]
    public void A_process_that_cannot_start_still_fails_on_the_callers_side()
    {
        Assert.That(() => ProcessLauncher.Start(["/nonexistent/kuberunbooks-no-such-program"], Env, "/"), Throws.InstanceOf<System.ComponentModel.Win32Exception>());
    }
}

using System.Diagnostics;
using KubeRunbooks.Simulator.Runtime;

namespace KubeRunbooks.Tests.Simulator.Runtime;

/// <summary>A pid noted earlier names the same process only while its start time matches.</summary>
public sealed class ProcessIdentityTests
{
    [Test]
    public void A_running_process_is_alive_under_its_identity()
    {
        var self = ProcessIdentity.Of(Environment.ProcessId);

        Assert.That(self, Is.Not.Null);
        Assert.That(self!.Value.IsAlive, Is.True);
    }

    [Test]
    public async Task An_ended_process_is_not_alive()
    {
        using var process = Process.Start(new ProcessStartInfo("sleep", "30") { UseShellExecute = false })!;
        var noted = ProcessIdentity.Of(process.Id)!.Value;

        process.Kill();
        await process.WaitForExitAsync();

        Assert.That(noted.IsAlive, Is.False);
    }

    [Test]
    public void The_same_pid_with_another_start_time_is_another_process()
    {
        var self = ProcessIdentity.Of(Environment.ProcessId)!.Value;
        var reused = self with { StartTime = self.StartTime + 1 };

        Assert.That(reused.IsAlive, Is.False, "what a signal to a reused pid would reach is not the process noted");
    }
}

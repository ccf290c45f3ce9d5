using System.Diagnostics;
using KubeRunbooks.Simulator.Scenarios;
using KubeRunbooks.Simulator.State;

namespace KubeRunbooks.Tests.Simulator.State;

/// <summary>Containers a SIGKILLed run left behind are ended by the next run that takes the state folder.</summary>
public sealed class StrayContainersTests
{
    private string _folder = null!;

    [SetUp]
    public void CreateFolder() => _folder = Path.Combine(Path.GetTempPath(), "kr-stray-" + Guid.NewGuid().ToString("N")[..12]);

    [TearDown]
    public void DeleteFolder()
    {
        try { Directory.Delete(_folder, recursive: true); }
        catch (IOException) { /* harmless */ }
    }

    private static Process SleepIn(string folder)
    {
        Directory.CreateDirectory(folder);
        return Process.Start(new ProcessStartInfo("sleep", "60") { WorkingDirectory = folder, UseShellExecute = false })!;
    }

    [Test]
    public void Loading_the_state_ends_processes_left_in_its_pod_folders_and_no_others()
    {
        if (!OperatingSystem.IsLinux()) Assert.Ignore("stray containers are found through /proc");
        using var stray = SleepIn(Path.Combine(_folder, LocalClusterState.RuntimeFolderName, "pods", "vantiq", "vantiq-0"));
        using var bystander = SleepIn(_folder + "-elsewhere");
        try
        {
            using var state = LocalClusterState.Open(_folder, TimeSpan.FromSeconds(5));
            state.LoadOrSeed(Scenario.Load("vantiq").Seed);

            Assert.That(stray.WaitForExit(TimeSpan.FromSeconds(10)), Is.True, "the stray container was ended");
            Assert.That(bystander.HasExited, Is.False, "a process outside the state folder is left alone");
        }
        finally
        {
            if (!bystander.HasExited) bystander.Kill();
            if (!stray.HasExited) stray.Kill();
            Directory.Delete(_folder + "-elsewhere");
        }
    }

    [Test]
    public void A_folder_with_no_process_kills_nothing()
    {
        Directory.CreateDirectory(_folder);
        Assert.That(StrayContainers.KillUnder(_folder), Is.EqualTo(0));
    }
}

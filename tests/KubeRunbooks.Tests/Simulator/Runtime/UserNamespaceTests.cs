using KubeRunbooks.Simulator.Runtime;

namespace KubeRunbooks.Tests.Simulator.Runtime;

/// <summary>
/// The gate that puts a container in a user namespace of its own: the command runs only once the runtime has written
/// the namespace's map, and never with the namespace unmapped.
/// </summary>
[TestFixture]
public sealed class UserNamespaceTests
{
    private static readonly Dictionary<string, string> Env = new() { ["PATH"] = "/usr/sbin:/usr/bin:/sbin:/bin" };

    [Test]
    public async Task A_gated_command_runs_in_a_new_user_namespace_once_its_map_is_written()
    {
        using var process = ProcessLauncher.Start([.. UserNamespace.GateArgv, "sh", "-c", "cat /proc/self/uid_map; id -u; readlink /proc/self/ns/user"], Env, "/");

        var mapped = await UserNamespace.MapAsync(process);
        var output = (await process.StandardOutput.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        await process.WaitForExitAsync();

        Assert.Multiple(() =>
        {
            Assert.That(mapped, Is.True);
            Assert.That(process.ExitCode, Is.Zero);
            Assert.That(string.Join(' ', output[0].Split(' ', StringSplitOptions.RemoveEmptyEntries)), Is.EqualTo("0 0 4294967295"));
            Assert.That(output[1], Is.EqualTo("0"), "root of the new namespace, which is root's id on the machine");
            Assert.That(output[2], Is.Not.EqualTo(new FileInfo("/proc/self/ns/user").LinkTarget));
        });
    }

    [Test]
    public async Task A_gated_command_whose_map_is_never_written_does_not_run()
    {
        var mark = Path.Combine(Path.GetTempPath(), "userns-gate-" + Guid.NewGuid().ToString("N"));
        using var process = ProcessLauncher.Start([.. UserNamespace.GateArgv, "touch", mark], Env, "/");

        process.StandardInput.Close(); // no map, no go line
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Multiple(() =>
        {
            Assert.That(process.ExitCode, Is.EqualTo(125));
            Assert.That(error, Does.Contain("its user namespace was not mapped"));
            Assert.That(File.Exists(mark), Is.False, "the command did not run");
        });
    }

    [Test]
    public async Task Mapping_a_process_that_ends_without_making_a_namespace_says_false()
    {
        using var process = ProcessLauncher.Start(["/bin/sh", "-c", "exit 3"], Env, "/");

        Assert.That(await UserNamespace.MapAsync(process), Is.False);
        await process.WaitForExitAsync();
        Assert.That(process.ExitCode, Is.EqualTo(3));
    }
}

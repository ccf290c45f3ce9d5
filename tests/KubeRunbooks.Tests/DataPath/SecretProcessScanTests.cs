using System.Globalization;
using System.Text;
using KubeRunbooks.Backups;
using KubeRunbooks.Kubernetes.Exec;
using KubeRunbooks.Tests.Support;

namespace KubeRunbooks.Tests.DataPath;

/// <summary>
/// A password passed to an exec'd dump (<see cref="ExecRequest.Secrets"/>) is in no process's
/// <c>/proc/PID/cmdline</c>, seen from the machine (the pod's processes are this machine's, under bubblewrap) and from
/// inside the pod, while the dump runs; and it IS in the dump process's <c>environ</c>, where the mechanism puts it.
/// </summary>
[TestFixture]
public sealed class SecretProcessScanTests
{
    [Test]
    public async Task A_running_mysqldump_has_MYSQL_PWD_in_its_environment_and_in_no_cmdline_on_the_machine_or_in_the_pod()
    {
        var maria = await DataPathWorld.MariaDbAsync();
        var database = "probe_" + Guid.NewGuid().ToString("N")[..10]; // names the dump process in a process listing
        // About 32 MB: more than the pipe, socket and frame buffers between mysqldump and a reader that has stopped
        // reading, so mysqldump blocks on its stdout until the test lets it finish.
        await maria.QueryAsync($"CREATE DATABASE {database}; CREATE TABLE {database}.t (id int primary key, body longtext); " +
            string.Concat(Enumerable.Range(1, 8).Select(i => $"INSERT INTO {database}.t VALUES ({i}, REPEAT('{(char)('a' + i)}', 4000000));")));
        var pod = await DataPathWorld.RunPodAsync("secret-scan", maria.ClientEnv);
        var exec = new PodExec(DataPathWorld.Client);
        var request = pod.Exec("mysqldump", "-h", "127.0.0.1", "-P", maria.Port.ToString(CultureInfo.InvariantCulture), "-u", "kr", database)
            with { Secrets = new Dictionary<string, string> { ["MYSQL_PWD"] = maria.Password } };
        var output = new GatedStream();
        var dump = exec.RunCheckedAsync(request, output);
        try
        {
            // The condition: the dump process itself (the wrapping shell has exec'd it, so its environment is final).
            var hostPid = await WaitForProcessAsync(database, dump);
            var secret = Encoding.UTF8.GetBytes(maria.Password);

            var hostArgv = AllCommandLines().Where(p => Contains(p.Value, secret)).Select(p => p.Key).ToList();
            var hostEnviron = Read($"/proc/{hostPid}/environ");

            var inPod = new MemoryStream();
            await exec.RunCheckedAsync(pod.Exec("sh", "-c",
                "for d in /proc/[0-9]*; do c=$(tr '\\0' ' ' < $d/cmdline 2>/dev/null); [ -n \"$c\" ] && printf '%s\\t%s\\n' \"${d#/proc/}\" \"$c\"; done"), inPod);
            var podLines = Encoding.UTF8.GetString(inPod.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var podDump = podLines.Single(l => l.Contains("mysqldump", StringComparison.Ordinal) && l.Contains(database, StringComparison.Ordinal));
            var podEnviron = new MemoryStream();
            await exec.RunCheckedAsync(pod.Exec("cat", $"/proc/{podDump.Split('\t')[0]}/environ"), podEnviron);

            Assert.Multiple(() =>
            {
                Assert.That(hostArgv, Is.Empty, "no /proc/PID/cmdline on the machine holds the password");
                Assert.That(Contains(hostEnviron, Encoding.UTF8.GetBytes($"MYSQL_PWD={maria.Password}\0")), Is.True,
                    $"the dump process (pid {hostPid} on the machine) has the password in its environment");
                Assert.That(podLines, Has.Length.GreaterThan(2), "the pod's own processes were listed");
                Assert.That(podLines.Where(l => l.Contains(maria.Password, StringComparison.Ordinal)), Is.Empty, "no /proc/PID/cmdline in the pod holds the password");
                Assert.That(Encoding.UTF8.GetString(podEnviron.ToArray()).Split('\0'), Does.Contain($"MYSQL_PWD={maria.Password}"),
                    "seen from the pod, the dump's environment holds the password too");
            });
        }
        finally
        {
            output.Open();
        }
        var result = await dump.WaitAsync(TimeSpan.FromMinutes(2));
        Assert.That(result.StdoutBytes, Is.GreaterThan(32_000_000), "the dump ran to its end with the password it was given");
        Assert.That(Encoding.UTF8.GetString(output.Tail), Does.Contain(CompletionMarkers.Mysql));
        await maria.QueryAsync($"DROP DATABASE {database};");
    }

    // Polls /proc until the mysqldump of `database` runs (a hang guard of one minute), failing early if the exec ended.
    private static async Task<int> WaitForProcessAsync(string database, Task dump)
    {
        var found = 0;
        await Eventually.UntilAsync(async () =>
        {
            if (dump.IsCompleted) await dump; // a failed dump shows its error; a finished one means the gate did not hold
            foreach (var (pid, cmdline) in AllCommandLines())
            {
                var args = Encoding.UTF8.GetString(cmdline).Split('\0');
                if (Path.GetFileName(args[0]) == "mysqldump" && args.Contains(database)) { found = pid; return true; }
            }
            return false;
        }, $"a mysqldump of {database} runs", TimeSpan.FromMinutes(1));
        return found;
    }

    private static Dictionary<int, byte[]> AllCommandLines()
    {
        var all = new Dictionary<int, byte[]>();
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
            if (int.TryParse(Path.GetFileName(folder), out var pid)) all[pid] = Read(Path.Combine(folder, "cmdline"));
        return all;
    }

    private static byte[] Read(string path)
    {
        try { return File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return []; }
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;
}

using System.Diagnostics;
using System.IO.Pipelines;
using System.Security.Cryptography;
using System.Text;
using KubeRunbooks.Kubernetes.Exec;

namespace KubeRunbooks.Tests.DataPath;

/// <summary>Exec streams against the simulated cluster: real processes behind the real WebSocket channel protocol.</summary>
[TestFixture]
public sealed class ExecStreamTests
{
    private PodExec _exec = null!;
    private PodContainer _pod = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _exec = new PodExec(DataPathWorld.Client);
        _pod = await DataPathWorld.RunPodAsync("exec");
    }

    [Test]
    public async Task Stdout_of_several_megabytes_arrives_whole_and_in_order()
    {
        var output = new MemoryStream();
        var result = await _exec.RunCheckedAsync(_pod.Exec("seq", "1", "700000"), output);
        var expected = string.Concat(Enumerable.Range(1, 700000).Select(i => i + "\n"));
        Assert.That(Encoding.ASCII.GetString(output.ToArray()), Is.EqualTo(expected));
        Assert.That(result.StdoutBytes, Is.EqualTo(expected.Length));
    }

    [Test]
    public async Task Stdin_is_streamed_in_and_closed_so_the_command_ends()
    {
        var input = RandomNumberGenerator.GetBytes(3 * 1024 * 1024 + 17);
        var output = new MemoryStream();
        await _exec.RunCheckedAsync(_pod.Exec("sha256sum"), output, new MemoryStream(input));
        Assert.That(Encoding.ASCII.GetString(output.ToArray()), Does.StartWith(Convert.ToHexStringLower(SHA256.HashData(input))));
    }

    [Test]
    public async Task A_non_zero_exit_fails_naming_the_code_and_the_stderr_tail()
    {
        var shown = new List<string>();
        var e = Assert.ThrowsAsync<ExecFailedException>(() => _exec.RunCheckedAsync(
            _pod.Exec("sh", "-c", "echo partial; echo 'first problem' >&2; echo 'disk full' >&2; exit 3"), new MemoryStream(), null, shown.Add));
        Assert.That(e!.ExitCode, Is.EqualTo(3));
        Assert.That(e.Message, Does.Contain("exited with code 3").And.Contain("disk full").And.Contain("'sh'"));
        Assert.That(shown, Is.EqualTo(new[] { "first problem", "disk full" }), "stderr is shown as it comes");
    }

    [Test]
    public async Task Without_the_check_a_non_zero_exit_is_returned()
    {
        var result = await _exec.RunAsync(_pod.Exec("sh", "-c", "exit 5"), new MemoryStream());
        Assert.That(result.ExitCode, Is.EqualTo(5));
    }

    [Test]
    public async Task A_stream_cut_after_N_bytes_fails_and_says_it_was_cut()
    {
        var cut = await DataPathWorld.RunPodAsync("cut-exec");
        var output = new MemoryStream();
        var e = Assert.ThrowsAsync<ExecFailedException>(() => _exec.RunCheckedAsync(cut.Exec("head", "-c", "5000000", "/dev/zero"), output));
        Assert.That(e!.Message, Does.Contain("without an exit status").And.Contain("cut").And.Contain($"{DataPathWorld.CutAfterBytes} bytes"));
        Assert.That(output.Length, Is.EqualTo(DataPathWorld.CutAfterBytes));
    }

    [Test]
    public async Task A_command_that_does_not_exist_fails_with_the_servers_reason()
    {
        var e = Assert.ThrowsAsync<ExecFailedException>(() => _exec.RunCheckedAsync(_pod.Exec("no-such-tool-here"), new MemoryStream()));
        Assert.That(e!.Message, Does.Contain("no-such-tool-here"));
    }

    [Test]
    public async Task Secrets_reach_the_environment_but_never_the_argv_of_any_process()
    {
        var secret = "pw-" + Guid.NewGuid().ToString("N");
        var request = _pod.Exec("sh", "-c", "printf '%s' \"$PGPASSWORD\" | sha256sum; printf 'ready\\n' >&2; exec cat") with
        {
            Secrets = new Dictionary<string, string> { ["PGPASSWORD"] = secret, ["MYSQL_PWD"] = "second-" + secret },
        };
        var stdin = new Pipe();
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new MemoryStream();
        var running = _exec.RunCheckedAsync(request, output, stdin.Reader.AsStream(), line => { if (line == "ready") ready.TrySetResult(); });
        await ready.Task.WaitAsync(TimeSpan.FromSeconds(30)); // hang guard: the command reports it has its environment

        // While the command runs: every process's argv is free of the secret, and some process has it in its environment.
        var (inArgv, inEnviron) = ScanProcesses(secret);
        await stdin.Writer.WriteAsync(Encoding.UTF8.GetBytes("rest of stdin\n"));
        await stdin.Writer.CompleteAsync();
        await running;

        Assert.That(inArgv, Is.Empty, "the secret is in no /proc/PID/cmdline");
        Assert.That(inEnviron, Is.Not.Empty, "the secret is in the command's environment");
        var text = Encoding.UTF8.GetString(output.ToArray());
        Assert.That(text, Does.StartWith(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)))));
        Assert.That(text, Does.EndWith("rest of stdin\n"), "stdin after the secrets reaches the command untouched");
        Assert.That(string.Join(' ', SecretEnvironment.Wrap(request.Command, request.Secrets.Keys)), Does.Not.Contain(secret));
    }

    [Test]
    public void A_secret_with_a_line_break_is_refused_without_showing_it()
    {
        var request = _pod.Exec("true") with { Secrets = new Dictionary<string, string> { ["PGPASSWORD"] = "a\nhidden-part" } };
        var e = Assert.ThrowsAsync<ArgumentException>(() => _exec.RunAsync(request, new MemoryStream()));
        Assert.That(e!.Message, Does.Contain("PGPASSWORD").And.Not.Contain("hidden-part"));
    }

    private static (List<int> InArgv, List<int> InEnviron) ScanProcesses(string secret)
    {
        var needle = Encoding.UTF8.GetBytes(secret);
        var inArgv = new List<int>();
        var inEnviron = new List<int>();
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), out var pid) || pid == Environment.ProcessId) continue;
            if (Contains(Read(Path.Combine(folder, "cmdline")), needle)) inArgv.Add(pid);
            if (Contains(Read(Path.Combine(folder, "environ")), needle)) inEnviron.Add(pid);
        }
        return (inArgv, inEnviron);
    }

    private static byte[] Read(string path)
    {
        try { return File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return []; }
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;
}

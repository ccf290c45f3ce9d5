using System.Net;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using k8s;
using KubeRunbooks.Simulator.Faults;
using KubeRunbooks.Simulator.Runtime;
using KubeRunbooks.Tests.Support;
using static KubeRunbooks.Tests.Simulator.Runtime.RuntimeTestSupport;
using static KubeRunbooks.Tests.Support.TestObjects;

namespace KubeRunbooks.Tests.Simulator.Runtime;

/// <summary>pods/exec through the real KubernetesClient over a real WebSocket.</summary>
[TestFixture]
public sealed class ExecTests : RuntimeFixture
{
    private RecordingSink _sink = null!;

    /// <inheritdoc />
    protected override PodRuntimeOptions Options(string root)
    {
        var options = base.Options(root);
        options.Faults.ExecCuts.Add(new ExecCut("^cut-", 100_000));
        return options;
    }

    [OneTimeSetUp]
    public async Task StartPodsAsync()
    {
        _sink = new RecordingSink();
        await Cluster.RunPodAsync(PodOf("shell", Idle("main")), _sink);
        await Cluster.RunPodAsync(PodOf("cut-pod", Idle("main")), _sink);
        await Cluster.RunPodAsync(PodOf("two", Idle("a"), Idle("b")), _sink);
        await Cluster.RunPodAsync(PodOf("done", Sh("main", "exit 0")), _sink);
        await _sink.WaitForAsync("Started", "shell", "main");
        await _sink.WaitForAsync("Started", "cut-pod", "main");
        await _sink.WaitForAsync("Started", "two", "b");
        await _sink.WaitForAsync("Terminated", "done", "main");
    }

    [Test]
    public async Task Stdout_stderr_and_success_status_arrive_on_their_channels()
    {
        var result = await ExecAsync(Client, "shell", "main", ["sh", "-c", "printf out; printf err >&2"]);

        Assert.Multiple(() =>
        {
            Assert.That(Encoding.UTF8.GetString(result.Stdout), Is.EqualTo("out"));
            Assert.That(result.Stderr, Is.EqualTo("err"));
            Assert.That(result.StatusJson, Does.Contain("\"Success\""), result.StatusJson + "/" + result.Stderr);
            Assert.That(result.ExitCode, Is.Zero);
        });
    }

    [Test]
    public async Task A_non_zero_exit_code_comes_back_as_NonZeroExitCode_with_the_code()
    {
        var result = await ExecAsync(Client, "shell", "main", ["sh", "-c", "exit 7"]);

        Assert.Multiple(() =>
        {
            Assert.That(result.StatusJson, Does.Contain("NonZeroExitCode"));
            Assert.That(result.ExitCode, Is.EqualTo(7));
        });
    }

    [Test]
    public async Task Stdin_is_piped_to_the_process_and_closed_with_v5()
    {
        var result = await ExecAsync(Client, "shell", "main", ["sh", "-c", "cat; echo END"],
            new MemoryStream(Encoding.UTF8.GetBytes("hello\nworld\n")));

        Assert.That(Encoding.UTF8.GetString(result.Stdout), Is.EqualTo("hello\nworld\nEND\n"));
    }

    [Test]
    public async Task The_v4_protocol_is_served_too()
    {
        var result = await ExecAsync(Client, "shell", "main", ["echo", "v4"], protocol: WebSocketProtocol.V4BinaryWebsocketProtocol);

        Assert.Multiple(() =>
        {
            Assert.That(Encoding.UTF8.GetString(result.Stdout), Is.EqualTo("v4\n"));
            Assert.That(result.ExitCode, Is.Zero);
        });
    }

    [Test]
    public async Task Ten_megabytes_through_stdin_and_back_arrive_intact()
    {
        var data = new byte[10 * 1024 * 1024];
        new Random(42).NextBytes(data);

        var result = await ExecAsync(Client, "shell", "main", ["cat"], new MemoryStream(data));

        Assert.Multiple(() =>
        {
            Assert.That(result.Stdout, Has.Length.EqualTo(data.Length));
            Assert.That(Convert.ToHexString(SHA256.HashData(result.Stdout)), Is.EqualTo(Convert.ToHexString(SHA256.HashData(data))));
            Assert.That(result.ExitCode, Is.Zero);
        });
    }

    [Test]
    public async Task A_fault_plan_cut_ends_the_stream_after_exactly_N_bytes_without_status()
    {
        var result = await ExecAsync(Client, "cut-pod", "main", ["head", "-c", "1000000", "/dev/zero"]);

        Assert.Multiple(() =>
        {
            Assert.That(result.Stdout, Has.Length.EqualTo(100_000));
            Assert.That(result.StatusJson, Is.Empty);
        });
    }

    [Test]
    public async Task A_command_that_does_not_exist_gets_a_failure_status()
    {
        var result = await ExecAsync(Client, "shell", "main", ["no-such-command-here"]).ContinueWith(t => t);

        Assert.That(result.Exception?.GetBaseException().Message ?? "", Does.Contain("executable file not found"));
    }

    [Test]
    public void An_unknown_container_fails_the_handshake()
    {
        Assert.ThrowsAsync<WebSocketException>(() => ExecAsync(Client, "shell", "nope", ["true"]));
    }

    [Test]
    public async Task An_unknown_container_is_a_400_Status_naming_it()
    {
        var (code, body) = await PlainGetAsync("/api/v1/namespaces/default/pods/shell/exec?container=nope&command=true&stdout=1");

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(HttpStatusCode.BadRequest), body);
            Assert.That(body, Does.Contain("\"kind\":\"Status\"").And.Contain("container nope is not valid for pod shell"));
        });
    }

    [Test]
    public async Task No_container_in_a_pod_of_two_is_a_400_naming_the_choices()
    {
        var (code, body) = await PlainGetAsync("/api/v1/namespaces/default/pods/two/exec?command=true&stdout=1");

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(HttpStatusCode.BadRequest), body);
            Assert.That(body, Does.Contain("a container name must be specified for pod two, choose one of: [a b]"));
        });
    }

    [Test]
    public async Task A_request_that_is_not_a_websocket_upgrade_gets_a_400_Status()
    {
        var (code, body) = await PlainGetAsync("/api/v1/namespaces/default/pods/shell/exec?container=main&command=true&stdout=1");

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(HttpStatusCode.BadRequest), body);
            Assert.That(body, Does.Contain("Upgrade request required"));
        });
    }

    [Test]
    public async Task An_unknown_pod_is_a_404_Status()
    {
        var (code, body) = await PlainGetAsync("/api/v1/namespaces/default/pods/ghost/exec?command=true");

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(HttpStatusCode.NotFound), body);
            Assert.That(body, Does.Contain("pods \\\"ghost\\\" not found"));
        });
    }

    [Test]
    public async Task A_container_that_has_ended_cannot_be_exec_into()
    {
        var (code, body) = await PlainGetAsync("/api/v1/namespaces/default/pods/done/exec?container=main&command=true");

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(HttpStatusCode.BadRequest), body);
            Assert.That(body, Does.Contain("not running"));
        });
    }

    [Test]
    public async Task Kubectl_exec_pipes_stdin_through_cat()
    {
        if (!HasKubectl()) Assert.Ignore("kubectl is not on this machine");
        var kubeconfig = Cluster.Cluster.KubeconfigPath;
        var input = Encoding.UTF8.GetBytes(string.Join("\n", Enumerable.Range(0, 5000).Select(i => $"line {i}")) + "\n");

        var result = await KubectlAsync(kubeconfig, input, "exec", "-i", "shell", "-c", "main", "--", "cat");

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.Zero, result.Stderr);
            Assert.That(result.Stdout, Is.EqualTo(input));
        });
    }

    [Test]
    public async Task Kubectl_exec_propagates_a_non_zero_exit_code()
    {
        if (!HasKubectl()) Assert.Ignore("kubectl is not on this machine");
        var kubeconfig = Cluster.Cluster.KubeconfigPath;

        var result = await KubectlAsync(kubeconfig, null, "exec", "shell", "--", "sh", "-c", "echo bye; exit 3");

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(3), result.Stderr);
            Assert.That(Encoding.UTF8.GetString(result.Stdout), Is.EqualTo("bye\n"));
        });
    }

    [Test]
    public async Task Kubectl_exec_into_an_ended_container_fails_with_the_server_message()
    {
        if (!HasKubectl()) Assert.Ignore("kubectl is not on this machine");
        var kubeconfig = Cluster.Cluster.KubeconfigPath;

        var result = await KubectlAsync(kubeconfig, null, "exec", "done", "-c", "main", "--", "true");

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.Not.Zero);
            Assert.That(result.Stderr, Does.Contain("container main is not running in pod done"));
        });
    }

    [Test]
    public async Task A_client_that_goes_away_takes_its_process_with_it()
    {
        // The pid a container prints is its PID namespace's: the process is found on the machine by its unique argv.
        var token = "1000." + Random.Shared.Next(100000, 999999);
        using var socket = await RawExecAsync("shell", "main", ["sh", "-c", $"echo started; exec sleep {token}"]);
        var buffer = new byte[256];
        await socket.ReceiveAsync(buffer, CancellationToken.None);
        var pid = await HostPidOfAsync("sleep\0" + token);
        Assert.That(pid, Is.Not.Null, "the exec'd process runs");

        socket.Abort();

        await Eventually.UntilAsync(() => !IsAlive(pid!.Value), $"the exec'd process {pid} ends after its client went away", TimeSpan.FromSeconds(30));
    }

    private static async Task<int?> HostPidOfAsync(string cmdline)
    {
        int? found = null;
        await Eventually.UntilAsync(() => (found = FindPid(cmdline)) is not null, $"a process with argv {cmdline.Replace('\0', ' ')} runs", TimeSpan.FromSeconds(30));
        return found;
    }

    private static int? FindPid(string cmdline)
    {
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), out var pid)) continue;
            try { if (File.ReadAllText(Path.Combine(folder, "cmdline")).StartsWith(cmdline, StringComparison.Ordinal)) return pid; }
            catch (IOException) { /* ended */ }
        }
        return null;
    }

    private static bool IsAlive(int pid) =>
        File.Exists($"/proc/{pid}/stat") && !File.ReadAllText($"/proc/{pid}/stat").Split(' ')[2].StartsWith('Z');

    [Test]
    public async Task Resize_frames_are_ignored_and_the_v5_close_frame_ends_stdin()
    {
        using var socket = await RawExecAsync("shell", "main", ["cat"], stdin: true);

        await socket.SendAsync(Encoding.ASCII.GetBytes("\u0004{\"Width\":80,\"Height\":24}"), WebSocketMessageType.Binary, true, CancellationToken.None);
        await socket.SendAsync(Encoding.ASCII.GetBytes("\u0000hi\n"), WebSocketMessageType.Binary, true, CancellationToken.None);
        await socket.SendAsync(new byte[] { 255, 0 }, WebSocketMessageType.Binary, true, CancellationToken.None);
        var frames = new List<string>();
        var buffer = new byte[4096];
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
            if (result.MessageType == WebSocketMessageType.Close) break;
            frames.Add(buffer[0] + ":" + Encoding.UTF8.GetString(buffer, 1, result.Count - 1));
        }

        Assert.That(frames, Is.EqualTo(new[] { "1:hi\n", "3:{\"metadata\":{},\"status\":\"Success\"}" }));
    }

    [Test]
    public async Task A_client_that_does_not_read_holds_the_process_back()
    {
        var marker = InContainer(RuntimeRoot, "shell", "main", "/tmp/backpressure-done");
        var progress = InContainer(RuntimeRoot, "shell", "main", "/tmp/backpressure-progress");
        // 600 writes of 100 kB, each counted in a file: a process held back stops counting before 600.
        using var socket = await RawExecAsync("shell", "main", ["sh", "-c",
            "i=0; while [ $i -lt 600 ]; do head -c 100000 /dev/zero; i=$((i+1)); echo $i > /tmp/backpressure-progress; done; touch /tmp/backpressure-done"]);

        // Nothing is read: the socket, Kestrel and the pipe fill up and the process blocks, so its count stops moving.
        var stalledAt = await CountWhenStalledAsync(progress, TimeSpan.FromSeconds(60));
        var doneBeforeReading = File.Exists(marker);
        long stdout = 0;
        string status = "";
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
            if (result.MessageType == WebSocketMessageType.Close) break;
            if (buffer[0] == 1) stdout += result.Count - 1;
            if (buffer[0] == 3) status = Encoding.UTF8.GetString(buffer, 1, result.Count - 1);
        }

        Assert.Multiple(() =>
        {
            Assert.That(stalledAt, Is.LessThan(600), "the process ran ahead of the reader: output was buffered");
            Assert.That(doneBeforeReading, Is.False, "the process finished before anything was read");
            Assert.That(stdout, Is.EqualTo(60_000_000));
            Assert.That(File.ReadAllText(progress).Trim(), Is.EqualTo("600"), "reading let it run to the end");
            Assert.That(status, Does.Contain("Success"));
            Assert.That(File.Exists(marker), Is.True);
        });
    }

    [Test]
    public async Task Pings_are_answered_while_a_command_runs()
    {
        // The client aborts if a ping is not answered within the timeout.
        using var socket = await RawExecAsync("shell", "main", ["sh", "-c", "sleep 3; echo awake"],
            keepAlive: TimeSpan.FromMilliseconds(200), keepAliveTimeout: TimeSpan.FromSeconds(2));
        var output = new StringBuilder();
        var buffer = new byte[4096];
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
            if (result.MessageType == WebSocketMessageType.Close) break;
            output.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
        }

        Assert.That(output.ToString(), Does.Contain("\u0001awake\n").And.Contain("Success"));
    }

    private async Task<ClientWebSocket> RawExecAsync(string pod, string container, string[] command,
        TimeSpan? keepAlive = null, TimeSpan? keepAliveTimeout = null, bool stdin = false)
    {
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("v5.channel.k8s.io");
        var ca = X509Certificate2.CreateFromPem(Cluster.Cluster.CertificateAuthorityPem).RawData;
        socket.Options.SetRequestHeader("Authorization", "Bearer " + Cluster.Cluster.Token);
        socket.Options.RemoteCertificateValidationCallback = (_, cert, _, _) => cert is not null && cert.GetRawCertData().AsSpan().SequenceEqual(ca);
        if (keepAlive is { } interval) socket.Options.KeepAliveInterval = interval;
        if (keepAliveTimeout is { } timeout) socket.Options.KeepAliveTimeout = timeout;
        var query = string.Join("&", command.Select(c => "command=" + Uri.EscapeDataString(c)));
        var uri = new Uri(Cluster.Cluster.Host.Replace("https://", "wss://", StringComparison.Ordinal) +
            $"/api/v1/namespaces/default/pods/{pod}/exec?container={container}&stdout=true&stderr=true&stdin={(stdin ? "true" : "false")}&{query}");
        await socket.ConnectAsync(uri, CancellationToken.None);
        return socket;
    }

    private async Task<(HttpStatusCode, string)> PlainGetAsync(string path)
    {
        using var http = Cluster.CreateHttpClient();
        using var response = await http.GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// The count in <paramref name="file"/> once it has stopped changing for a second (20 checks 50 ms apart) or
    /// reached 600; fails naming the file when it keeps moving past <paramref name="timeout"/>.
    /// </summary>
    private static async Task<int> CountWhenStalledAsync(string file, TimeSpan timeout)
    {
        var last = -1;
        var unchanged = 0;
        await Eventually.UntilAsync(() =>
        {
            var text = File.Exists(file) ? File.ReadAllText(file).Trim() : "";
            var count = int.TryParse(text, out var n) ? n : 0;
            unchanged = count == last && count > 0 ? unchanged + 1 : 0;
            last = count;
            return count == 600 || unchanged >= 20;
        }, $"the count in {file} stops moving for a second (the writer is held back)", timeout);
        return last;
    }
}

using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using k8s;
using k8s.Models;
using KubeRunbooks.Tests.Simulator.Controllers;
using KubeRunbooks.Tests.Support;

namespace KubeRunbooks.Tests.Simulator.Conformance;

/// <summary>
/// <c>kubectl port-forward</c> (1.32: SPDY/3.1 tunnelled over a WebSocket) against the simulated cluster: local
/// connections reach a server in a pod at its own address, and what a real cluster prints when they cannot.
/// </summary>
public sealed partial class PortForwardTests : ScenarioClusterFixture
{
    private const string UpperEchoServer =
        "import socket\n" +
        "s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n" +
        "s.bind((socket.gethostbyname('localhost'), 7070)); s.listen()\n" +
        "print('listening', flush=True)\n" +
        "while True:\n" +
        "    c, _ = s.accept(); data = b''\n" +
        "    while True:\n" +
        "        b = c.recv(65536)\n" +
        "        if not b: break\n" +
        "        data += b\n" +
        "    c.sendall(data.upper()); c.close()\n";

    private string _ns = "";

    [OneTimeSetUp]
    public async Task StartTheEchoPodAsync()
    {
        Api.Kubectl.RequireInstalled();
        _ns = await NewNamespaceAsync();
        await Client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "echo" },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Image = "python:3", Command = ["python3", "-c", UpperEchoServer] }] },
        }, _ns);
        await Eventually.UntilAsync(async () => (await Kubectl.RunAsync("logs", "echo", "-n", _ns)).Stdout.Contains("listening"), "the echo server listens", TimeSpan.FromMinutes(2));
    }

    [Test]
    public async Task Connections_to_the_local_port_reach_the_server_in_the_pod()
    {
        await using var forward = await PortForward.StartAsync(Cluster.KubeconfigPath, Root, "-n", _ns, "pod/echo", ":7070");
        var large = new string('x', 3 * 1024 * 1024 + 17); // many 32 KiB data frames each way

        Assert.Multiple(async () =>
        {
            Assert.That(await RoundTripAsync(forward.LocalPort, "hello from outside"), Is.EqualTo("HELLO FROM OUTSIDE"));
            Assert.That(await RoundTripAsync(forward.LocalPort, "a second connection"), Is.EqualTo("A SECOND CONNECTION"), "each local connection is forwarded");
            Assert.That(await RoundTripAsync(forward.LocalPort, large), Is.EqualTo(large.ToUpperInvariant()), "3 MiB each way, in order");
        });
        Assert.That(forward.Output, Does.Contain($"Forwarding from 127.0.0.1:{forward.LocalPort} -> 7070"));
    }

    [Test]
    public async Task A_port_nothing_listens_on_ends_the_connection_and_kubectl_names_the_refusal()
    {
        await using var forward = await PortForward.StartAsync(Cluster.KubeconfigPath, Root, "-n", _ns, "pod/echo", ":7071");

        var answer = await RoundTripAsync(forward.LocalPort, "anyone there?");

        Assert.That(answer, Is.Empty, "the local connection is closed with nothing read");
        await forward.WaitForOutputAsync("connection refused");
        Assert.That(forward.Output, Does.Match(@"an error occurred forwarding \d+ -> 7071: error forwarding port 7071 to pod echo, uid [0-9a-f-]+: .*connect: connection refused"));
    }

    [Test]
    public async Task A_missing_pod_is_one_clear_error()
    {
        var result = await Kubectl.RunAsync("port-forward", "-n", _ns, "pod/nope", ":7070");

        Assert.That(result.ExitCode, Is.Not.Zero);
        Assert.That(result.Stderr.Trim(), Is.EqualTo("Error from server (NotFound): pods \"nope\" not found"));
    }

    private static async Task<string> RoundTripAsync(int port, string text)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port);
        var stream = client.GetStream();
        var writing = Task.Run(async () =>
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(text));
            client.Client.Shutdown(SocketShutdown.Send);
        });
        using var reader = new StreamReader(stream, Encoding.ASCII);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var answer = await reader.ReadToEndAsync(timeout.Token);
        await writing;
        return answer;
    }

    /// <summary>A running <c>kubectl port-forward</c>, its local port read from what it prints.</summary>
    private sealed partial class PortForward : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _output = new();

        private PortForward(Process process) => _process = process;

        public int LocalPort { get; private set; }

        public string Output { get { lock (_output) return _output.ToString(); } }

        public static async Task<PortForward> StartAsync(string kubeconfig, string root, params string[] args)
        {
            var info = new ProcessStartInfo(Api.Kubectl.Path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            info.ArgumentList.Add($"--kubeconfig={kubeconfig}");
            info.ArgumentList.Add($"--cache-dir={Path.Combine(root, "kubectl-cache")}");
            info.ArgumentList.Add("port-forward");
            foreach (var arg in args) info.ArgumentList.Add(arg);
            var forward = new PortForward(Process.Start(info)!);
            forward._process.OutputDataReceived += (_, e) => forward.Append(e.Data);
            forward._process.ErrorDataReceived += (_, e) => forward.Append(e.Data);
            forward._process.BeginOutputReadLine();
            forward._process.BeginErrorReadLine();
            var listening = await forward.WaitForOutputAsync("Forwarding from 127.0.0.1:");
            forward.LocalPort = int.Parse(LocalPortPattern().Match(listening).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            return forward;
        }

        public async Task<string> WaitForOutputAsync(string text)
        {
            await Eventually.UntilAsync(() =>
            {
                if (_process.HasExited && !Output.Contains(text, StringComparison.Ordinal)) Assert.Fail($"kubectl port-forward ended without printing \"{text}\"; it printed:\n{Output}");
                return Output.Contains(text, StringComparison.Ordinal);
            }, $"kubectl port-forward prints \"{text}\" (it printed: {Output})", TimeSpan.FromSeconds(60));
            return Output;
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited) _process.Kill();
            await _process.WaitForExitAsync();
            _process.Dispose();
        }

        private void Append(string? line)
        {
            if (line is null) return;
            lock (_output) _output.AppendLine(line);
        }

        [GeneratedRegex(@"Forwarding from 127\.0\.0\.1:(\d+)")]
        private static partial Regex LocalPortPattern();
    }
}

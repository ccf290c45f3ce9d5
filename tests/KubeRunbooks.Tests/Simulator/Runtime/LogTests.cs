using System.Net;
using System.Text;
using k8s;
using k8s.Autorest;
using k8s.Models;
using KubeRunbooks.Simulator.Runtime;
using KubeRunbooks.Tests.Support;
using static KubeRunbooks.Tests.Simulator.Runtime.RuntimeTestSupport;
using static KubeRunbooks.Tests.Support.TestObjects;

namespace KubeRunbooks.Tests.Simulator.Runtime;

/// <summary>pods/log through the real KubernetesClient and kubectl.</summary>
[TestFixture]
public sealed class LogTests : RuntimeFixture
{
    private RecordingSink _sink = null!;
    private string _kubeconfig = "";

    [OneTimeSetUp]
    public async Task StartPodsAsync()
    {
        _kubeconfig = Cluster.Cluster.KubeconfigPath;
        _sink = new RecordingSink();
        await Cluster.RunPodAsync(PodOf("printer", Sh("main", "for i in 1 2 3 4 5; do echo line $i; done; echo oops >&2")), _sink);
        var multi = PodOf("multi", Sh("a", "echo from-a"), Sh("b", "echo from-b"));
        multi.Spec.InitContainers = [Sh("setup", "echo init says hi")];
        await Cluster.RunPodAsync(multi, _sink);
        var blocked = PodOf("blocked", Sh("main", "echo never"));
        blocked.Spec.InitContainers = [Sh("migrate", "exit 3")];
        await Cluster.RunPodAsync(blocked, _sink);
        await _sink.WaitForAsync("Terminated", "printer", "main");
        await _sink.WaitForAsync("Terminated", "multi", "b");
        await _sink.WaitForAsync("Terminated", "multi", "a");
        await _sink.WaitForAsync("Terminated", "blocked", "migrate");
    }

    [Test]
    public async Task The_whole_log_holds_stdout_and_stderr_in_order() =>
        Assert.That(await LogAsync("printer"), Is.EqualTo("line 1\nline 2\nline 3\nline 4\nline 5\noops\n"));

    [Test]
    public async Task TailLines_gives_the_last_lines() =>
        Assert.That(await LogAsync("printer", tailLines: 2), Is.EqualTo("line 5\noops\n"));

    [Test]
    public async Task LimitBytes_cuts_the_output() =>
        Assert.That(await LogAsync("printer", limitBytes: 8), Is.EqualTo("line 1\nl"));

    [Test]
    public async Task Timestamps_prefix_each_line_in_RFC3339Nano()
    {
        var lines = (await LogAsync("printer", timestamps: true)).TrimEnd('\n').Split('\n');

        Assert.That(lines, Has.Length.EqualTo(6).And.All.Match(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z (line \d|oops)$"));
    }

    [Test]
    public void Rfc3339Nano_drops_trailing_zeros_as_Go_does()
    {
        Assert.Multiple(() =>
        {
            Assert.That(LogEndpoint.Rfc3339Nano(new DateTimeOffset(2026, 1, 2, 3, 4, 5, 120, TimeSpan.Zero)), Is.EqualTo("2026-01-02T03:04:05.12Z"));
            Assert.That(LogEndpoint.Rfc3339Nano(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(9))), Is.EqualTo("2026-01-01T18:04:05Z"));
        });
    }

    [Test]
    public async Task An_init_container_log_is_read_by_name() =>
        Assert.That(await LogAsync("multi", container: "setup"), Is.EqualTo("init says hi\n"));

    [Test]
    public async Task No_container_in_a_pod_of_several_is_a_400_naming_the_choices()
    {
        var (code, body) = await GetAsync("/api/v1/namespaces/default/pods/multi/log");

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(HttpStatusCode.BadRequest), body);
            Assert.That(body, Does.Contain("a container name must be specified for pod multi, choose one of: [a b] or one of the init containers: [setup]"));
        });
    }

    [Test]
    public async Task An_unknown_container_is_a_400()
    {
        var (code, body) = await GetAsync("/api/v1/namespaces/default/pods/printer/log?container=nope");

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(HttpStatusCode.BadRequest), body);
            Assert.That(body, Does.Contain("container nope is not valid for pod printer"));
        });
    }

    [Test]
    public async Task An_unknown_pod_is_a_404()
    {
        var (code, body) = await GetAsync("/api/v1/namespaces/default/pods/ghost/log");

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(HttpStatusCode.NotFound), body);
            Assert.That(body, Does.Contain("\"reason\":\"NotFound\""));
        });
    }

    [Test]
    public async Task A_container_behind_a_failed_init_container_is_waiting_to_start()
    {
        var (code, body) = await GetAsync("/api/v1/namespaces/default/pods/blocked/log?container=main");

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(HttpStatusCode.BadRequest), body);
            Assert.That(body, Does.Contain("container \\\"main\\\" in pod \\\"blocked\\\" is waiting to start: PodInitializing"));
        });
    }

    [Test]
    public async Task Previous_without_an_earlier_run_is_a_400()
    {
        var (code, body) = await GetAsync("/api/v1/namespaces/default/pods/printer/log?previous=true");

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(HttpStatusCode.BadRequest), body);
            Assert.That(body, Does.Contain("previous terminated container \\\"main\\\" in pod \\\"printer\\\" not found"));
        });
    }

    [Test]
    public async Task Previous_reads_the_run_before_a_restart()
    {
        var first = new RecordingSink();
        await Cluster.RunPodAsync(PodOf("again", Sh("main", "echo run-1")), first);
        await first.WaitForAsync("Terminated", "again", "main");
        var second = new RecordingSink();
        await Cluster.RunPodAsync(PodOf("again", Sh("main", "echo run-2")), second);
        await second.WaitForAsync("Terminated", "again", "main");

        Assert.Multiple(async () =>
        {
            Assert.That(await LogAsync("again", previous: true), Is.EqualTo("run-1\n"));
            Assert.That(await LogAsync("again"), Is.EqualTo("run-2\n"));
        });
    }

    [Test]
    public async Task Follow_returns_the_stream_at_once_and_ends_when_the_container_ends()
    {
        var sink = new RecordingSink();
        await Cluster.RunPodAsync(PodOf("follower", Sh("main", "echo first; while [ ! -f /tmp/go ]; do sleep 0.05; done; echo second")), sink);
        await sink.WaitForAsync("Started", "follower", "main");

        // The call returns once headers arrive, while the container still waits for "go".
        using var stream = await Client.CoreV1.ReadNamespacedPodLogAsync("follower", "default", "main", follow: true);
        using var reader = new StreamReader(stream);
        var first = await reader.ReadLineAsync();
        await File.WriteAllTextAsync(InContainer(RuntimeRoot, "follower", "main", "/tmp/go"), "");
        var rest = await reader.ReadToEndAsync();

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo("first"));
            Assert.That(rest, Is.EqualTo("second\n"));
        });
    }

    [Test]
    public async Task KubernetesClient_sees_a_missing_pod_as_an_HTTP_404()
    {
        var error = Assert.ThrowsAsync<HttpOperationException>(() => Client.CoreV1.ReadNamespacedPodLogAsync("ghost", "default"));

        Assert.That(error!.Response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        await Task.CompletedTask;
    }

    [Test]
    public async Task Kubectl_logs_follow_prints_until_the_container_ends()
    {
        if (!HasKubectl()) Assert.Ignore("kubectl is not on this machine");
        var sink = new RecordingSink();
        await Cluster.RunPodAsync(PodOf("ticker", Sh("main", "for i in 1 2 3; do echo tick $i; sleep 0.1; done")), sink);
        await sink.WaitForAsync("Started", "ticker", "main");

        var result = await KubectlAsync(_kubeconfig, null, "logs", "-f", "ticker");

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.Zero, result.Stderr);
            Assert.That(Encoding.UTF8.GetString(result.Stdout), Is.EqualTo("tick 1\ntick 2\ntick 3\n"));
        });
    }

    [Test]
    public async Task Kubectl_logs_with_a_container_and_tail()
    {
        if (!HasKubectl()) Assert.Ignore("kubectl is not on this machine");

        var container = await KubectlAsync(_kubeconfig, null, "logs", "multi", "-c", "b");
        var tail = await KubectlAsync(_kubeconfig, null, "logs", "printer", "--tail=1");

        Assert.Multiple(() =>
        {
            Assert.That(Encoding.UTF8.GetString(container.Stdout), Is.EqualTo("from-b\n"), container.Stderr);
            Assert.That(Encoding.UTF8.GetString(tail.Stdout), Is.EqualTo("oops\n"), tail.Stderr);
        });
    }

    [Test]
    public async Task Kubectl_logs_of_an_unknown_container_fails_with_the_server_message()
    {
        if (!HasKubectl()) Assert.Ignore("kubectl is not on this machine");

        var result = await KubectlAsync(_kubeconfig, null, "logs", "printer", "-c", "nope");

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.Not.Zero);
            Assert.That(result.Stderr, Does.Contain("container nope is not valid for pod printer"));
        });
    }

    private async Task<string> LogAsync(string pod, string? container = null, int? tailLines = null, bool timestamps = false,
        int? limitBytes = null, bool previous = false)
    {
        using var stream = await Client.CoreV1.ReadNamespacedPodLogAsync(pod, "default", container, limitBytes: limitBytes,
            previous: previous, tailLines: tailLines, timestamps: timestamps);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }

    private async Task<(HttpStatusCode, string)> GetAsync(string path)
    {
        using var http = Cluster.CreateHttpClient();
        using var response = await http.GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}

using System.Text;
using k8s;
using k8s.Models;
using KubeRunbooks.Simulator.Runtime.Images;
using KubeRunbooks.Tests.Simulator.Controllers;
using KubeRunbooks.Tests.Support;

namespace KubeRunbooks.Tests.Simulator.Containers;

/// <summary>
/// The database images run the real servers from Debian's packages, and the seeds' client commands reach them
/// through the real kubectl and through KubernetesClient: by the images' default sockets and by Service names.
/// One PostgreSQL, one MariaDB and one Redis for the whole fixture.
/// </summary>
public sealed class DatabasePodTests : ScenarioClusterFixture
{
    private static readonly string Folder = Path.Combine(Path.GetTempPath(), "kr-dbscn-" + Guid.NewGuid().ToString("N")[..8]);

    /// <inheritdoc />
    protected override string ScenarioName => DatabaseScenario.Write(Folder);

    [OneTimeSetUp]
    public async Task RequireServersAsync()
    {
        KubeRunbooks.Tests.Simulator.Api.Kubectl.RequireInstalled();
        foreach (var image in new[] { "postgres:10", "mariadb:10.9", "redis:7" })
            if (ServerImages.Find(image) is { IsInstalled: false } server)
                Assert.Ignore($"{server.Name} is not installed (Debian package {server.Package}): ./test.sh installs it");
        await Eventually.UntilAsync(async () => (await Client.CoreV1.ListNamespacedPodAsync("db")).Items.Count(IsReady) == 4,
            "the database pods are ready", TimeSpan.FromMinutes(2));
    }

    [OneTimeTearDown]
    public void DeleteScenario() => Directory.Delete(Folder, recursive: true);

    [Test]
    public async Task Pg_dumpall_through_kubectl_exec_dumps_the_pods_own_server_by_its_default_socket()
    {
        var pod = await PodOfAsync("app=postgres");
        (await Kubectl.RunAsync("exec", pod, "-n", "db", "--", "psql", "-U", "postgres", "-v", "ON_ERROR_STOP=1", "-c",
            "CREATE TABLE IF NOT EXISTS seed_marker (id int); INSERT INTO seed_marker VALUES (42);")).EnsureSuccess();

        var dump = (await Kubectl.RunAsync("exec", pod, "-n", "db", "--", "pg_dumpall", "-U", "postgres")).EnsureSuccess().Stdout;

        Assert.Multiple(() =>
        {
            Assert.That(dump, Does.Contain("CREATE TABLE public.seed_marker"));
            Assert.That(dump, Does.Contain("\n-- PostgreSQL database cluster dump complete\n"));
        });
    }

    [Test]
    public async Task Psql_f_dash_restores_a_dump_fed_on_stdin_through_KubernetesClient_exec()
    {
        var pod = await PodOfAsync("app=postgres");
        var script = "CREATE DATABASE restored;\n\\connect restored\nCREATE TABLE t (v text);\nINSERT INTO t VALUES ('from-stdin');\n";

        var restore = await ExecAsync(pod, ["psql", "-U", "postgres", "-v", "ON_ERROR_STOP=1", "-f", "-"], Encoding.UTF8.GetBytes(script));
        var read = await ExecAsync(pod, ["psql", "-U", "postgres", "-d", "restored", "-tAc", "SELECT v FROM t"]);

        Assert.Multiple(() =>
        {
            Assert.That(restore.ExitCode, Is.Zero, restore.Stderr);
            Assert.That(read.Stdout.Trim(), Is.EqualTo("from-stdin"));
        });
    }

    [Test]
    public async Task Mysqldump_reaches_mariadb_by_its_service_name_from_another_pod()
    {
        var server = await PodOfAsync("app=mariadb");
        (await Kubectl.RunAsync("exec", server, "-n", "db", "--", "sh", "-c",
            "MYSQL_PWD=\"$MYSQL_ROOT_PASSWORD\" mysql -uroot platform -e 'CREATE TABLE IF NOT EXISTS menu (id INT); INSERT INTO menu VALUES (7);'")).EnsureSuccess();

        var dump = await Kubectl.RunAsync("exec", "toolbox", "-n", "db", "--", "bash", "-c",
            "export MYSQL_PWD=${MYSQL_ROOT_PASSWORD}; mysqldump -h ${PF_DB_HOST} -uroot --all-databases --add-drop-table");

        Assert.Multiple(() =>
        {
            Assert.That(dump.ExitCode, Is.Zero, dump.Stderr);
            Assert.That(dump.Stdout.Contains("CREATE TABLE `menu`", StringComparison.Ordinal), Is.True, "the table made through the socket is in the dump");
            Assert.That(dump.Stdout.TrimEnd().Split('\n')[^1], Does.Match(@"^-- Dump completed on \d{4}-\d\d-\d\d [ \d]\d:\d\d:\d\d$"));
            Assert.That(dump.Stdout + dump.Stderr, Does.Not.Contain(DatabaseScenario.MariaDbRootPassword));
        });
    }

    [Test]
    public async Task A_wrong_mariadb_password_is_refused_by_the_real_server()
    {
        var result = await Kubectl.RunAsync("exec", "toolbox", "-n", "db", "--", "sh", "-c", "MYSQL_PWD=wrong mysql -h mariadb -uroot -e 'SELECT 1'");

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.Not.Zero);
            Assert.That(result.Stderr, Does.Contain("Access denied for user 'root'"));
        });
    }

    [Test]
    public async Task Redis_cli_reaches_redis_by_its_service_name_and_the_mounted_config_applies()
    {
        var set = await Kubectl.RunAsync("exec", "toolbox", "-n", "db", "--", "redis-cli", "-h", "backend-redis", "SET", "greeting", "hello");
        var get = await Kubectl.RunAsync("exec", "toolbox", "-n", "db", "--", "redis-cli", "-h", "backend-redis.db.svc.cluster.local", "GET", "greeting");
        var aof = await Kubectl.RunAsync("exec", "toolbox", "-n", "db", "--", "redis-cli", "-h", "backend-redis", "CONFIG", "GET", "appendonly");
        var dir = await Kubectl.RunAsync("exec", "toolbox", "-n", "db", "--", "redis-cli", "-h", "backend-redis", "CONFIG", "GET", "dir");

        Assert.Multiple(() =>
        {
            Assert.That(set.EnsureSuccess().Stdout.Trim(), Is.EqualTo("OK"));
            Assert.That(get.EnsureSuccess().Stdout.Trim(), Is.EqualTo("hello"));
            Assert.That(aof.EnsureSuccess().Stdout, Does.Contain("appendonly\nyes"), "redis.conf from the ConfigMap");
            Assert.That(dir.EnsureSuccess().Stdout, Does.Contain("/var/lib/redis/data"), "the Red Hat image's data path");
        });
    }

    [Test]
    public async Task The_postgres_data_survives_a_pod_restart()
    {
        var pod = await PodOfAsync("app=postgres");
        (await Kubectl.RunAsync("exec", pod, "-n", "db", "--", "psql", "-U", "postgres", "-c", "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here');")).EnsureSuccess();

        (await Kubectl.RunAsync("delete", "pod", pod, "-n", "db", "--wait=false")).EnsureSuccess();
        await Eventually.UntilAsync(async () => (await Client.CoreV1.ListNamespacedPodAsync("db", labelSelector: "app=postgres")).Items
            .Any(p => p.Metadata.Name != pod && IsReady(p)), "the new postgres pod is ready", TimeSpan.FromMinutes(1));
        var next = await PodOfAsync("app=postgres", except: pod);
        // Crash recovery may still run when the port opens ("the database system is starting up"): as a client would, retry.
        KubeRunbooks.Tests.Simulator.Api.KubectlResult read = null!;
        await Eventually.UntilAsync(async () => (read = await Kubectl.RunAsync("exec", next, "-n", "db", "--", "psql", "-U", "postgres", "-tAc", "SELECT v FROM kept")).ExitCode == 0
            || !read.Stderr.Contains("starting up", StringComparison.Ordinal), "the restarted server accepts queries", TimeSpan.FromMinutes(1));

        Assert.That(read.EnsureSuccess().Stdout.Trim(), Is.EqualTo("still here"));
    }

    [Test]
    public void An_image_whose_server_is_not_installed_names_its_debian_package()
    {
        var missing = ServerImages.Find("postgres:10")! with { Executable = "/nonexistent/*/bin/postgres" };

        Assert.Multiple(() =>
        {
            Assert.That(missing.IsInstalled, Is.False);
            Assert.That(missing.NotInstalledMessage("postgres:10"), Does.StartWith("Failed to pull image \"postgres:10\"").And.Contain("Debian package postgresql"));
            Assert.That(ServerImages.Find("registry.redhat.io/rhel8/mysql-80:1")!.DataDirectory, Is.EqualTo("/var/lib/mysql/data"));
            Assert.That(ServerImages.Find("quay.io/vantiq/vantiq-server:1.30.10"), Is.Null);
        });
    }

    private async Task<string> PodOfAsync(string selector, string? except = null) =>
        (await Client.CoreV1.ListNamespacedPodAsync("db", labelSelector: selector)).Items
        .Where(p => p.Metadata.Name != except && p.Metadata.DeletionTimestamp is null).Select(p => p.Metadata.Name).First();

    private async Task<(int ExitCode, string Stdout, string Stderr)> ExecAsync(string pod, string[] command, byte[]? stdin = null)
    {
        using var input = stdin is null ? null : new MemoryStream(stdin);
        var result = await KubeRunbooks.Tests.Simulator.Runtime.RuntimeTestSupport.ExecAsync(Client, pod, "postgres", command, input, ns: "db");
        return (result.ExitCode ?? -1, Encoding.UTF8.GetString(result.Stdout), result.Stderr);
    }
}

using System.Text;
using k8s;
using k8s.Models;
using KubeRunbooks.Simulator.Faults;
using KubeRunbooks.Simulator.Runtime;
using KubeRunbooks.Tests.Support;
using static KubeRunbooks.Tests.Simulator.Runtime.RuntimeTestSupport;
using static KubeRunbooks.Tests.Support.TestObjects;

namespace KubeRunbooks.Tests.Simulator.Runtime;

/// <summary>Containers as processes: env, volumes, init containers, image stand-ins and faults.</summary>
[TestFixture]
public sealed class PodLifecycleTests : RuntimeFixture
{
    private const string SecretValue = "s3cret-value";
    private string _hostBackups = "";

    /// <inheritdoc />
    protected override PodRuntimeOptions Options(string root)
    {
        _hostBackups = Path.Combine(root, "host-backups");
        var options = new PodRuntimeOptions
        {
            RootFolder = root,
            HostPaths = { ["/var/backups"] = _hostBackups },
            ImageCommands = { ["load-model"] = ["sh", "-c", "echo migrating model to $SIM_IMAGE_TAG; echo done"] },
        };
        options.Faults.ContainerExits.Add(new ContainerExit("^forced$", "main", 42));
        return options;
    }

    /// <inheritdoc />
    protected override IEnvSource Env()
    {
        var env = new MemoryEnvSource();
        env.ConfigMaps[("default", "app-config")] = new() { ["MODE"] = "night", ["URL"] = "http://db:5432" };
        env.Secrets[("default", "db")] = new() { ["password"] = Encoding.UTF8.GetBytes(SecretValue) };
        return env;
    }

    [Test]
    public async Task Env_is_resolved_from_values_configmaps_secrets_envFrom_and_the_pod()
    {
        var container = Idle("main");
        container.Image = "registry.local:5000/vantiq/vantiq-server:1.30.10";
        container.Env =
        [
            new V1EnvVar { Name = "PLAIN", Value = "value" },
            new V1EnvVar { Name = "EXPANDED", Value = "$(PLAIN)-x-$$(PLAIN)-$(UNDEFINED)" },
            new V1EnvVar { Name = "FROM_CM", ValueFrom = new V1EnvVarSource { ConfigMapKeyRef = new V1ConfigMapKeySelector { Name = "app-config", Key = "MODE" } } },
            new V1EnvVar { Name = "FROM_SECRET", ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = "db", Key = "password" } } },
            new V1EnvVar { Name = "POD_NAME", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.name" } } },
        ];
        container.EnvFrom =
        [
            new V1EnvFromSource { ConfigMapRef = new V1ConfigMapEnvSource { Name = "app-config" }, Prefix = "CM_" },
            new V1EnvFromSource { SecretRef = new V1SecretEnvSource { Name = "db" } },
        ];
        await RunAsync(PodOf("envpod", container), "main", started: true);

        var env = await EnvOfAsync("envpod", "main");

        Assert.Multiple(() =>
        {
            Assert.That(env["PLAIN"], Is.EqualTo("value"));
            Assert.That(env["EXPANDED"], Is.EqualTo("value-x-$(PLAIN)-$(UNDEFINED)"));
            Assert.That(env["FROM_CM"], Is.EqualTo("night"));
            Assert.That(env["FROM_SECRET"], Is.EqualTo(SecretValue));
            Assert.That(env["POD_NAME"], Is.EqualTo("envpod"));
            Assert.That(env["CM_MODE"], Is.EqualTo("night"));
            Assert.That(env["CM_URL"], Is.EqualTo("http://db:5432"));
            Assert.That(env["password"], Is.EqualTo(SecretValue));
            Assert.That(env["HOSTNAME"], Is.EqualTo("envpod"));
            Assert.That(env["SIM_IMAGE_TAG"], Is.EqualTo("1.30.10"));
            Assert.That(env["SIM_IMAGE_REPOSITORY"], Is.EqualTo("registry.local:5000/vantiq/vantiq-server"));
            Assert.That(env.Keys, Is.EquivalentTo(new[]
            {
                "PATH", "HOME", "HOSTNAME", "SIM_IMAGE", "SIM_IMAGE_REPOSITORY", "SIM_IMAGE_TAG",
                "PLAIN", "EXPANDED", "FROM_CM", "FROM_SECRET", "POD_NAME", "CM_MODE", "CM_URL", "password",
            }), "exactly the pod's env: nothing leaks from the host's");
        });
    }

    [Test]
    public async Task A_missing_secret_leaves_the_container_waiting_with_a_config_error()
    {
        var container = Sh("main", "echo should not run");
        container.Env = [new V1EnvVar { Name = "X", ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = "absent", Key = "k" } } }];
        var sink = new RecordingSink();
        await Cluster.RunPodAsync(PodOf("nosecret", container), sink);

        var waiting = await sink.WaitForAsync("Waiting", "nosecret", "main");

        Assert.Multiple(() =>
        {
            Assert.That(waiting.Reason, Is.EqualTo("CreateContainerConfigError"));
            Assert.That(waiting.Message, Is.EqualTo("secret \"absent\" not found"));
            Assert.That(sink.Events.Select(e => e.Kind), Has.None.EqualTo("Started"));
        });
    }

    [Test]
    public async Task A_missing_configmap_key_names_the_key_and_not_a_value()
    {
        var container = Sh("main", "true");
        container.Env = [new V1EnvVar { Name = "X", ValueFrom = new V1EnvVarSource { ConfigMapKeyRef = new V1ConfigMapKeySelector { Name = "app-config", Key = "NOPE" } } }];
        var sink = new RecordingSink();
        await Cluster.RunPodAsync(PodOf("nokey", container), sink);

        var waiting = await sink.WaitForAsync("Waiting", "nokey", "main");

        Assert.That(waiting.Message, Is.EqualTo("couldn't find key NOPE in ConfigMap default/app-config"));
    }

    [Test]
    public async Task A_PVC_folder_is_shared_by_the_pods_that_mount_it_and_emptyDir_is_not()
    {
        var writer = PodOf("writer", Mounted(Idle("main"), ("data", "/data"), ("scratch", "/scratch")));
        writer.Spec.Volumes = [Claim("data", "shared-claim"), EmptyDir("scratch")];
        var reader = PodOf("reader", Mounted(Idle("main"), ("data", "/mnt/shared"), ("scratch", "/scratch")));
        reader.Spec.Volumes = [Claim("data", "shared-claim"), EmptyDir("scratch")];
        await RunAsync(writer, "main", started: true);
        await RunAsync(reader, "main", started: true);

        var write = await ExecAsync(Client, "writer", "main", ["sh", "-c", "echo hello > /data/greeting && echo mine > /scratch/own"]);
        var shared = await ExecAsync(Client, "reader", "main", ["cat", "/mnt/shared/greeting"]);
        var own = await ExecAsync(Client, "reader", "main", ["cat", "/scratch/own"]);

        Assert.Multiple(() =>
        {
            Assert.That(write.ExitCode, Is.Zero, write.Stderr);
            Assert.That(Encoding.UTF8.GetString(shared.Stdout), Is.EqualTo("hello\n"));
            Assert.That(own.ExitCode, Is.Not.Zero, "emptyDir is per pod");
            Assert.That(File.ReadAllText(Path.Combine(RuntimeRoot, "pvc", "default", "shared-claim", "greeting")), Is.EqualTo("hello\n"));
        });
    }

    [Test]
    public async Task ConfigMap_and_secret_volumes_are_files_and_hostPath_is_the_mapped_folder()
    {
        var pod = PodOf("files", Mounted(Idle("main"), ("config", "/etc/app"), ("secret", "/etc/secret"), ("backups", "/backup")));
        pod.Spec.Volumes =
        [
            new V1Volume { Name = "config", ConfigMap = new V1ConfigMapVolumeSource { Name = "app-config" } },
            new V1Volume { Name = "secret", Secret = new V1SecretVolumeSource { SecretName = "db" } },
            new V1Volume { Name = "backups", HostPath = new V1HostPathVolumeSource { Path = "/var/backups" } },
        ];
        await RunAsync(pod, "main", started: true);

        var config = await ExecAsync(Client, "files", "main", ["cat", "/etc/app/MODE"]);
        var secret = await ExecAsync(Client, "files", "main", ["sh", "-c", "cat /etc/secret/password; stat -c %a /etc/secret/password >&2"]);
        var backup = await ExecAsync(Client, "files", "main", ["sh", "-c", "echo archive > /backup/dump.gz"]);

        Assert.Multiple(() =>
        {
            Assert.That(Encoding.UTF8.GetString(config.Stdout), Is.EqualTo("night"));
            Assert.That(Encoding.UTF8.GetString(secret.Stdout), Is.EqualTo(SecretValue));
            Assert.That(secret.Stderr.Trim(), Is.EqualTo("600"));
            Assert.That(backup.ExitCode, Is.Zero, backup.Stderr);
            Assert.That(File.ReadAllText(Path.Combine(_hostBackups, "dump.gz")), Is.EqualTo("archive\n"));
        });
    }

    [Test]
    public async Task Init_containers_run_first_in_order_then_the_containers()
    {
        var pod = PodOf("initpod", Mounted(Sh("main", "cat /work/steps"), ("work", "/work")));
        pod.Spec.InitContainers =
        [
            Mounted(Sh("first", "echo one > /work/steps"), ("work", "/work")),
            Mounted(Sh("second", "echo two >> /work/steps"), ("work", "/work")),
        ];
        pod.Spec.Volumes = [EmptyDir("work")];
        var sink = await RunAsync(pod, "main", started: false);

        var order = sink.Events.Select(e => $"{e.Kind}:{e.Container}").ToList();
        Assert.Multiple(async () =>
        {
            Assert.That(order, Is.EqualTo(new[]
            {
                "Started:first", "Terminated:first", "Started:second", "Terminated:second", "Started:main", "Terminated:main",
            }));
            Assert.That(sink.Events.Where(e => e.Container != "main").Select(e => e.IsInit), Is.All.True);
            Assert.That(await LogOfAsync("initpod", "main"), Is.EqualTo("one\ntwo\n"));
        });
    }

    [Test]
    public async Task A_failing_init_container_stops_the_pod_there()
    {
        var pod = PodOf("initfail", Sh("main", "echo main"));
        pod.Spec.InitContainers = [Sh("migrate", "echo migrating; exit 3"), Sh("after", "echo after")];
        var sink = new RecordingSink();
        await Cluster.RunPodAsync(pod, sink);

        var failed = await sink.WaitForAsync("Terminated", "initfail", "migrate");
        await Runtime.StopPodAsync("default", "initfail", TimeSpan.Zero); // waits for the pod's run to finish

        Assert.Multiple(async () =>
        {
            Assert.That(failed.ExitCode, Is.EqualTo(3));
            Assert.That(failed.IsInit, Is.True);
            Assert.That(sink.Events.Select(e => e.Container), Has.None.EqualTo("after").And.None.EqualTo("main"));
            Assert.That(await LogOfAsync("initfail", "migrate"), Is.EqualTo("migrating\n"));
        });
    }

    [Test]
    public async Task A_forced_exit_code_from_the_fault_plan_replaces_the_command()
    {
        var sink = await RunAsync(PodOf("forced", Sh("main", "echo should-not-run")), "main", started: false);

        Assert.Multiple(async () =>
        {
            Assert.That(sink.Events.Single(e => e.Kind == "Terminated").ExitCode, Is.EqualTo(42));
            Assert.That(await LogOfAsync("forced", "main"), Is.Empty);
        });
    }

    [Test]
    public async Task An_image_without_a_command_runs_its_stand_in_with_the_tag_visible()
    {
        var container = new V1Container { Name = "load-model", Image = "vantiq/load-model:1.30.10" };
        var sink = await RunAsync(PodOf("model", container), "load-model", started: false);

        Assert.Multiple(async () =>
        {
            Assert.That(sink.Events.Single(e => e.Kind == "Terminated").ExitCode, Is.Zero);
            Assert.That(await LogOfAsync("model", "load-model"), Is.EqualTo("migrating model to 1.30.10\ndone\n"));
        });
    }

    [Test]
    public async Task A_command_that_does_not_exist_ends_the_container_with_128()
    {
        var container = new V1Container { Name = "main", Image = "x:1", Command = ["/no/such/binary"] };
        var sink = await RunAsync(PodOf("nobinary", container), "main", started: false);

        Assert.That(sink.Events.Single(e => e.Kind == "Terminated").ExitCode, Is.EqualTo(128));
    }

    [Test]
    public async Task Stopping_a_pod_terminates_its_idle_container()
    {
        var sink = await RunAsync(PodOf("stopme", Idle("main")), "main", started: true);

        await Runtime.StopPodAsync("default", "stopme", TimeSpan.FromSeconds(5));

        Assert.That(sink.Events.Single(e => e.Kind == "Terminated").ExitCode, Is.Not.Zero);
    }

    [Test]
    public async Task Forgetting_a_pod_removes_its_folder_and_its_logs()
    {
        await RunAsync(PodOf("forget", Sh("main", "echo x")), "main", started: false);

        Runtime.ForgetPod("default", "forget");

        Assert.Multiple(async () =>
        {
            Assert.That(Directory.GetDirectories(Path.Combine(RuntimeRoot, "pods", "default"), "forget_*"), Is.Empty);
            using var http = Cluster.CreateHttpClient();
            using var response = await http.GetAsync("/api/v1/namespaces/default/pods/forget/log");
            Assert.That((int)response.StatusCode, Is.EqualTo(404));
        });
    }

    private async Task<Dictionary<string, string>> EnvOfAsync(string pod, string container)
    {
        var result = await ExecAsync(Client, pod, container, ["env", "-0"]);
        return Encoding.UTF8.GetString(result.Stdout).Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Select(kv => kv.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1]);
    }

    private async Task<string> LogOfAsync(string pod, string container)
    {
        using var stream = await Client.CoreV1.ReadNamespacedPodLogAsync(pod, "default", container);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }

    private static V1Container Mounted(V1Container container, params (string Volume, string Path)[] mounts)
    {
        container.VolumeMounts = mounts.Select(m => new V1VolumeMount { Name = m.Volume, MountPath = m.Path }).ToList();
        return container;
    }

    private static V1Volume Claim(string name, string claim) =>
        new() { Name = name, PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = claim } };

    private static V1Volume EmptyDir(string name) => new() { Name = name, EmptyDir = new V1EmptyDirVolumeSource() };
}

using System.Text;
using k8s.Models;
using KubeRunbooks.Simulator.Runtime;
using KubeRunbooks.Tests.Support;
using KubeRunbooks.Tests.Simulator.Runtime;
using static KubeRunbooks.Tests.Simulator.Runtime.RuntimeTestSupport;
using static KubeRunbooks.Tests.Support.TestObjects;

namespace KubeRunbooks.Tests.Simulator.Containers;

/// <summary>
/// Pods as containers: each has its own root (its /tmp is its own), sees its volumes at their mountPaths, cannot
/// write the machine's paths, runs as its securityContext's user, and is stopped with SIGTERM and its grace period.
/// Exec through the real KubernetesClient and kubectl.
/// </summary>
[TestFixture]
public sealed class ContainerIsolationTests : RuntimeFixture
{
    private string _kubeconfig = "";

    [OneTimeSetUp]
    public void FindKubeconfig() => _kubeconfig = Cluster.Cluster.KubeconfigPath;

    [Test]
    public async Task A_pod_cannot_see_another_pods_tmp()
    {
        await RunAsync(PodOf("tmp-a", Idle("main")));
        await RunAsync(PodOf("tmp-b", Idle("main")));

        var write = await ExecAsync(Client, "tmp-a", "main", ["sh", "-c", "echo mine > /tmp/private && cat /tmp/private"]);
        var look = await ExecAsync(Client, "tmp-b", "main", ["sh", "-c", "ls /tmp/private"]);

        Assert.Multiple(() =>
        {
            Assert.That(Encoding.UTF8.GetString(write.Stdout), Is.EqualTo("mine\n"));
            Assert.That(look.ExitCode, Is.Not.Zero, "the other pod's /tmp is not this one's");
            Assert.That(File.Exists("/tmp/private"), Is.False, "nor the machine's");
        });
    }

    [TestCase("touch /usr/bin/kr-probe")]
    [TestCase("echo x >> /etc/passwd")]
    [TestCase("echo 3 > /proc/sys/vm/drop_caches")]
    [TestCase("mount -o remount,rw /usr")]
    public async Task Root_in_a_pod_cannot_write_the_machines_paths(string script)
    {
        await RunAsync(PodOf("intruder", Idle("main")));

        var result = await ExecAsync(Client, "intruder", "main", ["sh", "-c", script]);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.Not.Zero, result.Stderr);
            Assert.That(File.Exists("/usr/bin/kr-probe"), Is.False);
        });
    }

    [Test]
    public async Task What_a_pod_writes_under_root_stays_in_its_own_root_for_its_life()
    {
        await RunAsync(PodOf("homely", Idle("main")));

        var write = await ExecAsync(Client, "homely", "main", ["sh", "-c", "echo kept > /root/note && echo kept > /var/lib/state"]);
        var read = await ExecAsync(Client, "homely", "main", ["cat", "/root/note", "/var/lib/state"]);

        Assert.Multiple(() =>
        {
            Assert.That(write.ExitCode, Is.Zero, write.Stderr);
            Assert.That(Encoding.UTF8.GetString(read.Stdout), Is.EqualTo("kept\nkept\n"));
            Assert.That(File.Exists(InContainer(RuntimeRoot, "homely", "main", "/root/note")), Is.True, "backed by the pod's folder");
            Assert.That(File.Exists("/root/note"), Is.False);
        });
    }

    [Test]
    public async Task RunAsUser_and_fsGroup_give_the_processes_and_their_files_that_identity()
    {
        var pod = PodOf("nonroot", Mounted(Idle("main"), "data", "/storage"));
        pod.Spec.Volumes = [new V1Volume { Name = "data", EmptyDir = new V1EmptyDirVolumeSource() }];
        pod.Spec.SecurityContext = new V1PodSecurityContext { RunAsUser = 1000, RunAsGroup = 3000, FsGroup = 2000 };
        await RunAsync(pod);
        // As the kubelet gives an fsGroup volume to the group: here the folder is made writable for the test's user.
        await ExecAsJustRootAsync();

        var id = await ExecAsync(Client, "nonroot", "main", ["sh", "-c", "id -u; id -g; id -G; touch /storage/f; stat -c %u:%g /storage/f; touch /etc/kr-x 2>/dev/null || echo no-etc"]);

        Assert.That(Encoding.UTF8.GetString(id.Stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries),
            Is.EqualTo(new[] { "1000", "3000", "3000 2000", "1000:3000", "no-etc" }), id.Stderr);

        async Task ExecAsJustRootAsync()
        {
            var folder = Directory.GetDirectories(Path.Combine(RuntimeRoot, "pods", "default"), "nonroot_*").Single();
            var volume = Path.Combine(folder, "volumes", "data");
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(volume, (UnixFileMode)Convert.ToInt32("777", 8));
            await Task.CompletedTask;
        }
    }

    [Test]
    public async Task Delete_sends_TERM_and_the_grace_period_lets_the_trap_finish()
    {
        var pod = PodOf("graceful", Mounted(Sh("main", "trap 'echo term >> /data/log; sleep 1; echo cleaned >> /data/log; exit 0' TERM; touch /data/trapped; while :; do sleep 0.1; done"), "data", "/data"));
        pod.Spec.Volumes = [new V1Volume { Name = "data", PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = "graceful-log" } }];
        var sink = await RunAsync(pod);
        await TrapSetAsync("graceful-log");

        await Runtime.StopPodAsync("default", "graceful", TimeSpan.FromSeconds(20));

        Assert.Multiple(() =>
        {
            Assert.That(File.ReadAllText(Path.Combine(RuntimeRoot, "pvc", "default", "graceful-log", "log")), Is.EqualTo("term\ncleaned\n"));
            Assert.That(sink.Events.Single(e => e.Kind == "Terminated").ExitCode, Is.Zero, "the trap's exit code");
        });
    }

    [Test]
    public async Task A_container_still_running_when_the_grace_period_ends_is_killed()
    {
        var pod = PodOf("stubborn", Mounted(Sh("main", "trap 'echo term >> /data/log; sleep 15; echo cleaned >> /data/log' TERM; touch /data/trapped; while :; do sleep 0.1; done"), "data", "/data"));
        pod.Spec.Volumes = [new V1Volume { Name = "data", PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = "stubborn-log" } }];
        var sink = await RunAsync(pod);
        await TrapSetAsync("stubborn-log");

        await Runtime.StopPodAsync("default", "stubborn", TimeSpan.FromSeconds(3));

        Assert.Multiple(() =>
        {
            Assert.That(File.ReadAllText(Path.Combine(RuntimeRoot, "pvc", "default", "stubborn-log", "log")), Is.EqualTo("term\n"), "TERM came, then SIGKILL before the cleanup");
            Assert.That(sink.Events.Single(e => e.Kind == "Terminated").ExitCode, Is.Not.Zero);
        });
    }

    [Test]
    public async Task Kubectl_cp_from_a_mounted_path_and_tar_members_name_the_mount_path()
    {
        var pod = PodOf("storage", Mounted(Idle("main"), "data", "/storage"));
        pod.Spec.Volumes = [new V1Volume { Name = "data", PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = "ita-storage" } }];
        await RunAsync(pod);
        (await ExecAsync(Client, "storage", "main", ["sh", "-c", "mkdir -p /storage/conf && echo v1 > /storage/conf/app.ini"])).ExitCode.ToString();
        var target = Path.Combine(RuntimeRoot, "copied");

        var copy = await KubectlAsync(_kubeconfig, null, "cp", "default/storage:/storage", target, "-c", "main");
        var members = await ExecAsync(Client, "storage", "main", ["sh", "-c", "tar czf - /storage 2>/dev/null | tar tzf -"]);

        Assert.Multiple(() =>
        {
            Assert.That(copy.ExitCode, Is.Zero, copy.Stderr);
            Assert.That(File.ReadAllText(Path.Combine(target, "conf", "app.ini")), Is.EqualTo("v1\n"));
            Assert.That(Encoding.UTF8.GetString(members.Stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries),
                Is.EquivalentTo(new[] { "storage/", "storage/conf/", "storage/conf/app.ini" }));
        });
    }

    [Test]
    public async Task A_mounted_env_path_is_the_path_itself_not_a_folder_of_the_machine()
    {
        var container = Mounted(Idle("main"), "data", "/storage");
        container.Env = [new V1EnvVar { Name = "ITA_STORAGEPATH", Value = "/storage/" }];
        var pod = PodOf("envpath", container);
        pod.Spec.Volumes = [new V1Volume { Name = "data", EmptyDir = new V1EmptyDirVolumeSource() }];
        await RunAsync(pod);

        var result = await ExecAsync(Client, "envpath", "main", ["sh", "-c", "echo $ITA_STORAGEPATH; touch ${ITA_STORAGEPATH}x && ls /storage"]);

        Assert.That(Encoding.UTF8.GetString(result.Stdout), Is.EqualTo("/storage/\nx\n"));
    }

    /// <summary>Waits until the container's shell has set its TERM trap (it touches <c>trapped</c> on the claim after): a TERM before that ends the shell, as on a node.</summary>
    private async Task TrapSetAsync(string claim)
    {
        var marker = Path.Combine(RuntimeRoot, "pvc", "default", claim, "trapped");
        await Eventually.UntilAsync(() => File.Exists(marker), "the container sets its TERM trap", TimeSpan.FromSeconds(30));
    }

    private static V1Container Mounted(V1Container container, string volume, string path)
    {
        container.VolumeMounts = [new V1VolumeMount { Name = volume, MountPath = path }];
        return container;
    }
}

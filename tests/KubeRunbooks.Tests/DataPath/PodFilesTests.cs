using KubeRunbooks.Kubernetes.Exec;

namespace KubeRunbooks.Tests.DataPath;

/// <summary>Folders in and out of a container by tar over exec (the pod's filesystem is the runtime's local one).</summary>
[TestFixture]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PodFilesTests
{
    private PodFiles _files = null!;
    private PodContainer _pod = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _files = new PodFiles(new PodExec(DataPathWorld.Client));
        _pod = await DataPathWorld.RunPodAsync("files");
    }

    [Test]
    public async Task A_folder_goes_in_and_comes_back_with_content_modes_and_links()
    {
        var source = Tree();
        var remote = Path.Combine(DataPathWorld.NewFolder("remote"), "nested", "target");
        await _files.CopyToAsync(source, _pod, remote);
        var back = DataPathWorld.NewFolder("back");
        var copy = await _files.CopyFromAsync(_pod, remote, back);

        Assert.That(copy.Files, Is.EqualTo(3));
        foreach (var folder in new[] { remote, back })
        {
            Assert.That(File.ReadAllText(Path.Combine(folder, "config", "app.yml")), Is.EqualTo("key: välue\n"));
            Assert.That(File.ReadAllBytes(Path.Combine(folder, "data.bin")), Has.Length.EqualTo(3 * 1024 * 1024 + 5));
            Assert.That(File.GetUnixFileMode(Path.Combine(folder, "run.sh")), Is.EqualTo((UnixFileMode)0b111_101_101), folder);
            Assert.That(File.GetUnixFileMode(Path.Combine(folder, "config", "app.yml")), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite), folder);
            Assert.That(File.GetUnixFileMode(Path.Combine(folder, "config")), Is.EqualTo((UnixFileMode)0b111_101_000), folder);
            Assert.That(new FileInfo(Path.Combine(folder, "current")).LinkTarget, Is.EqualTo("config/app.yml"), folder);
        }
    }

    [Test]
    public async Task Mirror_into_the_container_deletes_what_the_source_does_not_hold()
    {
        var remote = DataPathWorld.NewFolder("mirror-in");
        Directory.CreateDirectory(Path.Combine(remote, "old", "deep"));
        File.WriteAllText(Path.Combine(remote, "old", "deep", "stale.txt"), "x");
        File.WriteAllText(Path.Combine(remote, "stale.txt"), "x");
        File.WriteAllText(Path.Combine(remote, "data.bin"), "to be replaced");

        var deleted = await _files.CopyToAsync(Tree(), _pod, remote, mirror: true);

        Assert.That(deleted, Is.EquivalentTo(new[] { "./old/deep/stale.txt", "./old/deep", "./old", "./stale.txt" }));
        Assert.That(Directory.EnumerateFileSystemEntries(remote, "*", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(remote, p)),
            Is.EquivalentTo(new[] { "config", Path.Combine("config", "app.yml"), "current", "data.bin", "run.sh" }));
        Assert.That(new FileInfo(Path.Combine(remote, "data.bin")).Length, Is.EqualTo(3 * 1024 * 1024 + 5));
    }

    [Test]
    public async Task Without_mirror_nothing_extra_is_deleted()
    {
        var remote = DataPathWorld.NewFolder("no-mirror");
        File.WriteAllText(Path.Combine(remote, "keep.txt"), "x");
        var deleted = await _files.CopyToAsync(Tree(), _pod, remote);
        Assert.That(deleted, Is.Empty);
        Assert.That(File.Exists(Path.Combine(remote, "keep.txt")), Is.True);
    }

    [Test]
    public async Task Mirror_out_of_the_container_deletes_local_extras_only_after_a_complete_copy()
    {
        var local = DataPathWorld.NewFolder("mirror-out");
        File.WriteAllText(Path.Combine(local, "extra.txt"), "x");
        var copy = await _files.CopyFromAsync(_pod, Tree(), local, mirror: true);
        Assert.That(copy.Deleted, Is.EqualTo(new[] { "extra.txt" }));
        Assert.That(File.Exists(Path.Combine(local, "run.sh")), Is.True);
    }

    [Test]
    public async Task A_cut_copy_fails_and_a_mirror_deletes_nothing()
    {
        var cut = await DataPathWorld.RunPodAsync("cut-files");
        var local = DataPathWorld.NewFolder("cut-out");
        File.WriteAllText(Path.Combine(local, "precious.txt"), "x");
        var e = Assert.CatchAsync<Exception>(() => _files.CopyFromAsync(cut, Tree(), local, mirror: true));
        Assert.That(e!.Message, Does.Contain("cut").Or.Contain("truncat").Or.Contain("end of"), e.ToString());
        Assert.That(File.Exists(Path.Combine(local, "precious.txt")), Is.True, "nothing deleted after a failed copy");
    }

    [Test]
    public void A_missing_folder_in_the_container_fails_with_tars_message()
    {
        var e = Assert.ThrowsAsync<ExecFailedException>(() => _files.CopyFromAsync(_pod, "/no/such/folder-" + Guid.NewGuid().ToString("N"), DataPathWorld.NewFolder("missing")));
        Assert.That(e!.Message, Does.Contain("exited with code").And.Contain("No such file"));
    }

    /// <summary>config/ (0750) with app.yml (0600), run.sh (0755), data.bin (3 MiB), current -> config/app.yml.</summary>
    private static string Tree()
    {
        var root = DataPathWorld.NewFolder("tree");
        Directory.CreateDirectory(Path.Combine(root, "config"));
        File.WriteAllText(Path.Combine(root, "config", "app.yml"), "key: välue\n");
        File.SetUnixFileMode(Path.Combine(root, "config", "app.yml"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.WriteAllText(Path.Combine(root, "run.sh"), "#!/bin/sh\necho hi\n");
        File.SetUnixFileMode(Path.Combine(root, "run.sh"), (UnixFileMode)0b111_101_101);
        File.WriteAllBytes(Path.Combine(root, "data.bin"), System.Security.Cryptography.RandomNumberGenerator.GetBytes(3 * 1024 * 1024 + 5));
        File.CreateSymbolicLink(Path.Combine(root, "current"), "config/app.yml");
        File.SetUnixFileMode(Path.Combine(root, "config"), (UnixFileMode)0b111_101_000);
        return root;
    }
}

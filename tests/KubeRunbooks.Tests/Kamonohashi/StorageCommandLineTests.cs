using KubeRunbooks.Backups;
using KubeRunbooks.Backups.Trees;
using KubeRunbooks.Simulator.Faults;

namespace KubeRunbooks.Tests.Kamonohashi;

/// <summary>
/// StorageBackup and StorageRestore through the built host's command line against a simulated KAMONOHASHI install
/// whose storage tree is a hostPath: backup, wipe, restore (byte-equal with modes and mtimes), restores over a changed
/// tree with and without --delete (what is replaced kept aside), a corrupted set refused, a cut tar stream, a cut
/// upload midway through a restore (tree put back, application back), bad input and the dry run.
/// </summary>
[TestFixture]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[NonParallelizable]
public sealed class StorageCommandLineTests
{
    private static readonly string[] Mutations = ["create", "update", "patch", "delete", "deletecollection"];
    private StorageWorld _world = null!;
    private string _set = null!;
    private IReadOnlyList<TreeEntry> _seeded = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _world = await StorageWorld.StartAsync();
        _world.SeedStorage();
        _seeded = _world.Snapshot();
        var run = _world.Run("--cluster=test", "--target=StorageBackup");
        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output + run.Error);
        _set = _world.SetNames().Single();
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _world.DisposeAsync();

    [SetUp]
    public void ClearFaults() => _world.Cluster.Faults.ExecCuts.Clear();

    [Test]
    [Order(1)]
    public async Task The_backup_is_a_verified_set_whose_archive_lists_the_tree_and_the_helper_pod_is_gone()
    {
        var verification = await BackupVerifier.VerifyAsync(Path.Combine(_world.BackupFolder, _set));
        Assert.That(verification.IsGood, Is.True, string.Join("; ", verification.Problems));
        var file = verification.Manifest!.Files.Single();
        Assert.That(file.Name, Does.Match(@"^kqi-storage-\d{8}\.tar\.gz$"));
        Assert.That(verification.Manifest.Kind, Is.EqualTo("kqi-storage"));
        Assert.That(File.GetUnixFileMode(Path.Combine(_world.BackupFolder, _set, file.Name)), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));

        await using var content = BackupVerifier.OpenContent(Path.Combine(_world.BackupFolder, _set), file);
        var listed = TreeListing.FromTar(content).ToDictionary(e => e.Path);
        foreach (var expected in _seeded)
        {
            Assert.That(listed, Does.ContainKey(expected.Path));
            Assert.That(listed[expected.Path].SameAs(expected), Is.True, listed[expected.Path].DifferenceFrom(expected));
        }
        Assert.That((await _world.PodsAsync()).Select(p => p.Metadata.Name), Has.None.StartWith("kqi-storage-helper"));
    }

    [Test]
    [Order(2)]
    public async Task Backup_wipe_restore_gives_the_same_bytes_modes_and_mtimes_and_the_app_back()
    {
        _world.WipeStorage();
        var before = _world.Audit().Count;

        var run = _world.Run("--cluster=test", "--target=StorageRestore", $"--backup={_set}");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output + run.Error);
        Assert.That(_world.Snapshot(), Is.EqualTo(_seeded));
        Assert.That(_world.AsideFolders(), Is.Empty, "nothing was replaced: no aside folder");
        Assert.That(run.Output, Does.Contain("the tree matches the set's listing"));
        var scales = _world.Audit().Skip(before).Where(a => a.Resource == "deployments" && a.Subresource == "scale" && a.Verb == "patch").ToList();
        Assert.That(scales, Has.Count.EqualTo(2), "the application stopped, then brought back");
        await _world.WaitForReadyAsync(StorageWorld.App, 2);
        Assert.That((await _world.PodsAsync()).Select(p => p.Metadata.Name), Has.None.StartWith("kqi-storage-helper"));
    }

    [Test]
    [Order(3)]
    public void Without_delete_a_changed_file_is_kept_aside_and_an_extra_stays_listed()
    {
        var model = Path.Combine(_world.StorageFolder, "training", "42", "output", "model.txt");
        File.WriteAllText(model, "weights changed after the backup\n");
        File.WriteAllText(Path.Combine(_world.StorageFolder, "training", "new-result.txt"), "made after the backup\n");

        var run = _world.Run("--cluster=test", "--target=StorageRestore", $"--backup={_set}");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output + run.Error);
        var aside = _world.AsideFolders().Single();
        Assert.That(File.ReadAllText(Path.Combine(aside, "training", "42", "output", "model.txt")), Is.EqualTo("weights changed after the backup\n"), "the overwritten file is kept");
        Assert.That(File.Exists(Path.Combine(aside, "run.sh")), Is.False, "identical files are not kept twice");
        Assert.That(File.ReadAllText(model), Is.EqualTo("weights 0.25 0.5\n"));
        Assert.That(File.Exists(Path.Combine(_world.StorageFolder, "training", "new-result.txt")), Is.True, "without --delete an extra stays");
        Assert.That(run.Output, Does.Contain("left in place (--delete would move it aside): training/new-result.txt"));
        Assert.That(run.Output, Does.Contain($"Kept aside in /var/lib/kamonohashi/nfs/{Path.GetFileName(aside)}"));
        Assert.That(_world.Snapshot().Where(e => e.Path != "training/new-result.txt" && e.Path != "training"), Is.EqualTo(_seeded.Where(e => e.Path != "training")));
        Directory.Delete(aside, recursive: true);
    }

    [Test]
    [Order(4)]
    public void With_delete_the_extras_leave_the_tree_into_the_aside_folder()
    {
        var run = _world.Run("--cluster=test", "--target=StorageRestore", $"--backup={_set}", "--delete");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output + run.Error);
        Assert.That(_world.Snapshot(), Is.EqualTo(_seeded), "a mirror of the set");
        var aside = _world.AsideFolders().Single();
        Assert.That(File.ReadAllText(Path.Combine(aside, "training", "new-result.txt")), Is.EqualTo("made after the backup\n"), "removed from the tree, kept");
        Directory.Delete(aside, recursive: true);
    }

    [Test]
    [Order(5)]
    public void A_corrupted_set_is_refused_before_anything_changes()
    {
        var damaged = Path.Combine(_world.BackupFolder, "kqi-storage-damaged");
        CopyFolder(Path.Combine(_world.BackupFolder, _set), damaged);
        var archive = Directory.GetFiles(damaged, "*.tar.gz").Single();
        var bytes = File.ReadAllBytes(archive);
        bytes[bytes.Length / 2] ^= 0x5A;
        File.WriteAllBytes(archive, bytes);
        File.WriteAllText(Path.Combine(_world.StorageFolder, "run.sh"), "changed, must stay\n");
        var tree = _world.Snapshot();
        var before = _world.Audit().Count;

        var run = _world.Run("--cluster=test", "--target=StorageRestore", "--backup=kqi-storage-damaged");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.Output + run.Error);
        Assert.That(run.Error.Trim().Split('\n'), Has.Length.EqualTo(1), run.Error);
        Assert.That(run.Error, Does.StartWith("error: The backup set kqi-storage-damaged failed verification").And.Contain("Nothing was changed"));
        Assert.That(_world.Audit().Skip(before).Where(a => Mutations.Contains(a.Verb)), Is.Empty);
        Assert.That(_world.Snapshot(), Is.EqualTo(tree));
        Directory.Delete(damaged, recursive: true);
    }

    [Test]
    [Order(6)]
    public async Task A_cut_upload_midway_puts_the_tree_back_and_the_application_back()
    {
        File.WriteAllText(Path.Combine(_world.StorageFolder, "data", "after-backup.txt"), "new\n");
        var tree = _world.Snapshot(); // run.sh changed by the test before: it is moved aside first, then must come back
        _world.Cluster.Faults.ExecCuts.Add(new ExecCut("^kqi-storage-helper$", 300_000, Stdin: true));

        var run = _world.Run("--cluster=test", "--target=StorageRestore", $"--backup={_set}");

        Assert.That(run.ExitCode, Is.EqualTo(1), run.Output + run.Error);
        Assert.That(run.Output + run.Error, Does.Contain("the tree is as it was").And.Contain($"from set {_set} failed"));
        Assert.That(_world.Snapshot(), Is.EqualTo(tree), "what the partial extraction wrote is gone and the moved paths are back");
        Assert.That(_world.AsideFolders(), Is.Empty);
        await _world.WaitForReadyAsync(StorageWorld.App, 2);
        Assert.That((await _world.PodsAsync()).Select(p => p.Metadata.Name), Has.None.StartWith("kqi-storage-helper"));
    }

    [Test]
    [Order(7)]
    public async Task A_cut_tar_stream_leaves_no_set_and_deletes_the_helper_pod()
    {
        var sets = _world.SetNames();
        _world.Cluster.Faults.ExecCuts.Add(new ExecCut("^kqi-storage-helper$", 200_000));

        var run = _world.Run("--cluster=test", "--target=StorageBackup");

        Assert.That(run.ExitCode, Is.EqualTo(1), run.Output + run.Error);
        Assert.That(run.Output + run.Error, Does.Contain("The storage backup failed"));
        Assert.That(_world.SetNames(), Is.EqualTo(sets), "no set folder is left");
        Assert.That(Directory.GetFiles(_world.BackupFolder, "*.tar.gz", SearchOption.AllDirectories), Has.Length.EqualTo(1), "only the good set's archive");
        Assert.That((await _world.PodsAsync()).Select(p => p.Metadata.Name), Has.None.StartWith("kqi-storage-helper"));
    }

    [TestCase("", "StorageRestore needs --backup=SET")]
    [TestCase("--backup=kqi-storage-nosuch", "There is no backup set 'kqi-storage-nosuch'")]
    public void Bad_input_is_one_error_line_exit_2_and_nothing_changed(string argument, string expected)
    {
        var before = _world.Audit().Count;
        var args = new[] { "--cluster=test", "--target=StorageRestore", argument }.Where(a => a.Length > 0).ToArray();

        var run = _world.Run(args);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.Output + run.Error);
        Assert.That(run.Error.Trim().Split('\n'), Has.Length.EqualTo(1), run.Error);
        Assert.That(run.Error, Does.StartWith("error: ").And.Contain(expected));
        Assert.That(_world.Audit().Skip(before).Where(a => Mutations.Contains(a.Verb)), Is.Empty);
    }

    [Test]
    public void A_dry_run_lists_every_change_and_makes_none()
    {
        var before = _world.Audit().Count;

        var run = _world.Run("--cluster=test", "--target=StorageRestore", $"--backup={_set}", "--delete", "--dryrun");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output + run.Error);
        Assert.That(run.Output, Does.Contain("scale it to 0").And.Contain("create pod kqi-system/kqi-storage-helper")
            .And.Contain("and every path it does not hold into /var/lib/kamonohashi/nfs/.kuberunbooks-aside-").And.Contain("scale deployment kqi-system/platypus-web-api back"));
        Assert.That(_world.Audit().Skip(before).Where(a => Mutations.Contains(a.Verb)), Is.Empty);
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
    }
}

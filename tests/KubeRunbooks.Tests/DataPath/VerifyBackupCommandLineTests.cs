using System.Text;
using KubeRunbooks.Backups;
using KubeRunbooks.Tests.Support;

namespace KubeRunbooks.Tests.DataPath;

/// <summary><c>VerifyBackup --backup=SET</c> through the built host: good, damaged, unknown and missing sets.</summary>
[TestFixture]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[NonParallelizable]
public sealed class VerifyBackupCommandLineTests
{
    private HostWorkspace _workspace = null!;
    private string _backups = null!;

    [SetUp]
    public void NewWorkspace()
    {
        _workspace = new HostWorkspace();
        var kubeconfig = Path.Combine(_workspace.Folder, "kubeconfig");
        File.WriteAllText(kubeconfig, """
            apiVersion: v1
            kind: Config
            clusters: [{name: c, cluster: {server: "https://127.0.0.1:9"}}]
            users: [{name: u, user: {token: not-a-real-token-0123456789}}]
            contexts: [{name: x, context: {cluster: c, user: u}}]
            current-context: x
            """);
        _workspace.WriteKubeconfigProfile("test", kubeconfig, "backups:\n  folder: saved\n  retention: 2\n");
        _backups = Path.Combine(_workspace.Folder, "saved");
    }

    [TearDown]
    public void DropWorkspace() => _workspace.Dispose();

    [Test]
    public async Task A_good_set_is_reported_good_by_name()
    {
        var set = await SetAsync();
        var run = _workspace.Run("--cluster=test", "--target=VerifyBackup", "--backup=" + Path.GetFileName(set));
        Assert.That(run.ExitCode, Is.Zero, run.Output + run.Error);
        Assert.That(run.Output, Does.Contain($"The backup set {Path.GetFileName(set)} is good").And.Contain("dump.sql.gz"));
    }

    [Test]
    public async Task A_corrupted_set_is_refused_with_exit_code_1_naming_the_file()
    {
        var set = await SetAsync();
        var path = Path.Combine(set, "dump.sql.gz");
        var bytes = File.ReadAllBytes(path);
        bytes[^20] ^= 0xFF;
        File.WriteAllBytes(path, bytes);
        var run = _workspace.Run("--cluster=test", "--target=VerifyBackup", "--backup=" + set);
        Assert.That(run.ExitCode, Is.EqualTo(1), run.Output + run.Error);
        Assert.That(run.Output + run.Error, Does.Contain("is not good").And.Contain("dump.sql.gz").And.Contain("corrupt"));
    }

    [Test]
    public async Task An_unknown_set_or_no_set_is_bad_input()
    {
        await SetAsync();
        var unknown = _workspace.Run("--cluster=test", "--target=VerifyBackup", "--backup=nope");
        Assert.That(unknown.ExitCode, Is.EqualTo(2), unknown.Output + unknown.Error);
        Assert.That(unknown.Output + unknown.Error, Does.Contain("error: There is no backup set 'nope'").And.Contain("postgres-"));
        var missing = _workspace.Run("--cluster=test", "--target=VerifyBackup");
        Assert.That(missing.ExitCode, Is.EqualTo(2), missing.Output + missing.Error);
        Assert.That(missing.Output + missing.Error, Does.Contain("--backup=SET"));
    }

    private async Task<string> SetAsync()
    {
        var set = BackupSetWriter.Create(_backups, "postgres", "test");
        var content = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 5000).Select(i => $"INSERT INTO t VALUES ({i});\n")) + BackupSetTests.PgDump);
        await set.WriteFileAsync(new BackupFileSpec("dump.sql.gz", BackupContent.PostgresClusterDump, BackupCompression.Gzip), (s, ct) => s.WriteAsync(content, ct).AsTask());
        await set.CompleteAsync();
        return set.Folder;
    }
}

using System.Text;
using KubeRunbooks.Databases;

namespace KubeRunbooks.Tests.Databases;

/// <summary>
/// The DEFINER filter on a real MariaDB dump: a view, a trigger and a stored routine whose definer does not exist on
/// the restore side; dumped, filtered while streaming, restored into a fresh server, then used.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class DefinerStrippingMariaDbTests
{
    private MariaDbServer _source = null!;
    private string _folder = null!;
    private string _dump = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _source = await MariaDbServer.StartAsync();
        _folder = Path.Combine(Path.GetTempPath(), "kr-definer-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(_folder);
        await _source.QueryAsync("""
            CREATE DATABASE app CHARACTER SET utf8mb4;
            USE app;
            CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(100)) CHARACTER SET utf8mb4;
            INSERT INTO t VALUES (1, '日本語のテキスト'), (2, 'Ünïcødé'), (3, 'DEFINER=`not`@`a clause` in data');
            CREATE USER 'appdef'@'%' IDENTIFIED BY 'unused';
            CREATE DEFINER='appdef'@'%' VIEW v_double AS SELECT id, id*2 AS twice FROM t;
            DELIMITER ;;
            CREATE DEFINER='appdef'@'%' TRIGGER t_mark BEFORE INSERT ON t FOR EACH ROW SET NEW.v = CONCAT(NEW.v, '*');;
            CREATE DEFINER='appdef'@'%' PROCEDURE p_count()
            BEGIN
              SELECT COUNT(*) FROM t;
            END;;
            DELIMITER ;
            """);
        _dump = Path.Combine(_folder, "app.sql");
        await _source.DumpAsync(_dump, "--databases", "app", "--add-drop-table", "--routines", "--triggers");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _source.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task<string> FilteredDumpAsync()
    {
        var filtered = Path.Combine(_folder, "app.filtered.sql");
        await using (var input = File.OpenRead(_dump))
        await using (var output = File.Create(filtered))
        {
            var substitutions = await DefinerStrippingStream.CopyAsync(input, output);
            Assert.That(substitutions, Is.EqualTo(2), "the view's and the trigger's clauses");
        }
        return filtered;
    }

    [Test]
    public async Task The_filtered_dump_is_byte_for_byte_what_the_seeds_sed_makes_of_it()
    {
        var filtered = await File.ReadAllBytesAsync(await FilteredDumpAsync());

        Assert.That(filtered, Is.EqualTo(SedReference.Run(await File.ReadAllBytesAsync(_dump))));
        var text = Encoding.UTF8.GetString(filtered);
        Assert.That(text, Does.Contain("/*!50013 */").And.Contain("/*!50017 */"), "the view's and trigger's DEFINER clauses are gone");
        Assert.That(text, Does.Contain("CREATE DEFINER=`appdef`@`%` PROCEDURE `p_count`()"), "the routine's header has no '*': sed leaves it");
        Assert.That(text, Does.Contain("'DEFINER=`not`@`a clause` in data'"), "no '*' after it on its line: the row is intact");
    }

    [Test]
    public async Task Restored_into_a_fresh_server_the_view_and_the_trigger_work_and_the_routine_keeps_its_missing_definer()
    {
        await using var target = await MariaDbServer.StartAsync();

        var restore = await target.RestoreAsync(await FilteredDumpAsync());

        Assert.That(restore.ExitCode, Is.EqualTo(0), restore.Error);
        Assert.That(await target.QueryAsync("SELECT COUNT(*) FROM mysql.user WHERE user = 'appdef'"), Is.EqualTo("0\n"), "the definer does not exist here");
        Assert.That(await target.QueryAsync("SELECT id, twice FROM v_double ORDER BY id", "app"), Is.EqualTo("1\t2\n2\t4\n3\t6\n"));
        await target.QueryAsync("INSERT INTO t VALUES (4, 'fired')", "app");
        Assert.That(await target.QueryAsync("SELECT v FROM t WHERE id = 4", "app"), Is.EqualTo("fired*\n"), "the trigger ran");
        Assert.That(await target.QueryAsync("SELECT v FROM t WHERE id = 1", "app"), Is.EqualTo("日本語のテキスト\n"));
        Assert.That(await target.QueryAsync("SELECT DEFINER FROM information_schema.VIEWS WHERE TABLE_NAME = 'v_double'"), Is.EqualTo("root@localhost\n"));

        // What the seed's expression does not do: CREATE DEFINER=... PROCEDURE has no '*' on its line.
        var call = await target.SqlAsync("CALL p_count()", "app");
        Assert.That(call.ExitCode, Is.Not.EqualTo(0));
        Assert.That(call.Error, Does.Contain("1449").And.Contain("'appdef'@'%'"));
    }

    [Test]
    public async Task With_routine_headers_the_routine_is_callable_too()
    {
        await using var target = await MariaDbServer.StartAsync();
        var filtered = Path.Combine(_folder, "app.routines.sql");
        await using (var input = File.OpenRead(_dump))
        await using (var output = File.Create(filtered))
        {
            Assert.That(await DefinerStrippingStream.CopyAsync(input, output, routineHeaders: true), Is.EqualTo(3));
        }

        var restore = await target.RestoreAsync(filtered);

        Assert.That(restore.ExitCode, Is.EqualTo(0), restore.Error);
        Assert.That(await target.QueryAsync("CALL p_count()", "app"), Is.EqualTo("3\n"));
        Assert.That(await target.QueryAsync("SELECT DEFINER FROM information_schema.ROUTINES WHERE ROUTINE_NAME = 'p_count'"), Is.EqualTo("root@localhost\n"));
        Assert.That(await target.QueryAsync("SELECT id, twice FROM v_double ORDER BY id", "app"), Is.EqualTo("1\t2\n2\t4\n3\t6\n"));
    }

    [Test]
    public async Task Without_the_filter_the_view_and_the_trigger_fail_on_the_missing_definer()
    {
        await using var target = await MariaDbServer.StartAsync();

        var restore = await target.RestoreAsync(_dump);

        Assert.That(restore.ExitCode, Is.EqualTo(0), restore.Error);
        var select = await target.SqlAsync("SELECT * FROM v_double", "app");
        Assert.That(select.Error, Does.Contain("1449"));
        var insert = await target.SqlAsync("INSERT INTO t VALUES (5, 'x')", "app");
        Assert.That(insert.Error, Does.Contain("1449"));
    }
}

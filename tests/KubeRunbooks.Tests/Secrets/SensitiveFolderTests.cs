using System.Text;
using KubeRunbooks.Errors;
using KubeRunbooks.Secrets;

namespace KubeRunbooks.Tests.Secrets;

/// <summary>Dated archives of sensitive files: never overwritten, mode 0600, rolled back by date, undone on failure.</summary>
[TestFixture]
public sealed class SensitiveFolderTests
{
    private static readonly DateOnly Today = new(2026, 12, 6);
    private string _folder = null!;

    [SetUp]
    public void MakeFolder() => _folder = Directory.CreateTempSubdirectory("kr-sensitive-").FullName;

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_folder, recursive: true);

    private static SensitiveFile[] Files(string version) =>
        [new("fullchain.crt", Encoding.ASCII.GetBytes($"chain {version}")), new("private.key", Encoding.ASCII.GetBytes($"key {version}"))];

    private string Read(string name) => File.ReadAllText(Path.Combine(_folder, name));

    [Test]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void The_first_install_archives_nothing_and_writes_mode_0600()
    {
        var archived = new SensitiveFolder(_folder).Replace(Files("1"), Today);

        Assert.That(archived, Is.Null);
        Assert.That(Read("fullchain.crt"), Is.EqualTo("chain 1"));
        Assert.That(File.GetUnixFileMode(Path.Combine(_folder, "private.key")), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        Assert.That(Directory.GetFiles(_folder).Select(Path.GetFileName), Is.EquivalentTo(new[] { "fullchain.crt", "private.key" }), "no temporary file left");
    }

    [Test]
    public void A_second_renewal_the_same_day_never_overwrites_the_first_archive()
    {
        var folder = new SensitiveFolder(_folder);
        folder.Replace(Files("1"), Today);
        var first = folder.Replace(Files("2"), Today);
        var second = folder.Replace(Files("3"), Today);

        Assert.That(first!.Suffix, Is.EqualTo("20261206"));
        Assert.That(second!.Suffix, Is.EqualTo("20261206.1"));
        Assert.That(Read("fullchain.crt.20261206"), Is.EqualTo("chain 1"));
        Assert.That(Read("private.key.20261206.1"), Is.EqualTo("key 2"));
        Assert.That(Read("private.key"), Is.EqualTo("key 3"));
    }

    [Test]
    public void Rollback_puts_back_the_newest_set_and_keeps_the_files_it_replaces()
    {
        var folder = new SensitiveFolder(_folder);
        folder.Replace(Files("1"), Today.AddDays(-40));
        folder.Replace(Files("2"), Today.AddDays(-1));
        folder.Replace(Files("3"), Today);

        var set = folder.FindSet(["fullchain.crt", "private.key"], date: null);
        var kept = folder.Restore(set, new DateTimeOffset(2026, 12, 6, 1, 2, 3, TimeSpan.Zero));

        Assert.That(set.Suffix, Is.EqualTo("20261206"));
        Assert.That(Read("fullchain.crt"), Is.EqualTo("chain 2"));
        Assert.That(kept, Is.EquivalentTo(new[] { "fullchain.crt.rolledback-20261206010203", "private.key.rolledback-20261206010203" }));
        Assert.That(Read("private.key.rolledback-20261206010203"), Is.EqualTo("key 3"));
    }

    [Test]
    public void Rollback_to_a_date_takes_the_newest_set_of_that_date()
    {
        var folder = new SensitiveFolder(_folder);
        folder.Replace(Files("1"), Today);
        folder.Replace(Files("2"), new DateOnly(2026, 11, 1));
        folder.Replace(Files("3"), new DateOnly(2026, 11, 1));
        folder.Replace(Files("4"), Today);

        var set = folder.FindSet(["fullchain.crt", "private.key"], "20261101");
        folder.Restore(set, DateTimeOffset.UtcNow);

        Assert.That(set.Suffix, Is.EqualTo("20261101.1"));
        Assert.That(Read("fullchain.crt"), Is.EqualTo("chain 2"));
    }

    [Test]
    public void No_set_for_the_date_is_invalid_input_listing_the_sets()
    {
        var folder = new SensitiveFolder(_folder);
        folder.Replace(Files("1"), Today);
        folder.Replace(Files("2"), Today);

        var e = Assert.Throws<InvalidInputException>(() => folder.FindSet(["fullchain.crt", "private.key"], "20200101"))!;
        Assert.That(e.Message, Does.Contain("dated 20200101").And.Contain("20261206"));
        Assert.Throws<InvalidInputException>(() => folder.FindSet(["fullchain.crt", "private.key"], "2020-01-01"));
    }

    [Test]
    public void An_incomplete_set_is_not_a_set()
    {
        File.WriteAllText(Path.Combine(_folder, "fullchain.crt.20261101"), "lonely");

        Assert.That(new SensitiveFolder(_folder).Sets(["fullchain.crt", "private.key"]), Is.Empty);
    }

    [Test]
    public void A_failure_while_installing_puts_the_folder_back_as_it_was()
    {
        var folder = new SensitiveFolder(_folder);
        folder.Replace(Files("1"), Today);
        // A folder in the way of the second file makes its rename fail after the first file was installed.
        var files = Files("2").Append(new SensitiveFile("blocked", [1])).ToArray();
        Directory.CreateDirectory(Path.Combine(_folder, "blocked"));
        File.WriteAllText(Path.Combine(_folder, "blocked", "x"), "x");

        var e = Assert.Throws<IOException>(() => folder.Replace(files, Today))!;

        Assert.That(e.Message, Does.Contain("the folder is as it was"));
        Assert.That(Read("fullchain.crt"), Is.EqualTo("chain 1"));
        Assert.That(Read("private.key"), Is.EqualTo("key 1"));
        Assert.That(Directory.GetFiles(_folder).Select(Path.GetFileName), Is.EquivalentTo(new[] { "fullchain.crt", "private.key" }));
    }

    [Test]
    public void UndoReplace_restores_the_files_a_later_step_failure_left()
    {
        var folder = new SensitiveFolder(_folder);
        folder.Replace(Files("1"), Today);
        var archived = folder.Replace(Files("2"), Today);

        folder.UndoReplace(Files("2"), archived);

        Assert.That(Read("fullchain.crt"), Is.EqualTo("chain 1"));
        Assert.That(Directory.GetFiles(_folder), Has.Length.EqualTo(2));
    }
}

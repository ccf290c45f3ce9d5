using System.Text;
using ICSharpCode.SharpZipLib.Tar;
using KubeRunbooks.Backups.Trees;

namespace KubeRunbooks.Tests.DataPath;

/// <summary>What a tree restore moves aside, keeps and compares, decided from listings (no cluster).</summary>
public sealed class TreeRestoreDecisionTests
{
    private static TreeEntry File(string path, string sha = "aa", int mode = 0x1A4, long size = 3, long time = 100) => new(path, TreeEntryKind.File, mode, size, time, sha);

    private static TreeEntry Dir(string path, int mode = 0x1ED, long time = 100) => new(path, TreeEntryKind.Directory, mode, 0, time, null);

    [Test]
    public void Files_the_set_writes_are_moved_aside_identical_ones_marked_and_extras_listed_without_delete()
    {
        var expected = new[] { Dir("a"), File("a/same"), File("a/changed", "bb"), File("new") };
        var current = new[] { Dir("a"), File("a/same"), File("a/changed", "cc"), Dir("extra"), File("extra/x") };

        var decision = TreeRestoreDecision.Decide(expected, current, delete: false);

        Assert.That(decision.MoveAside, Is.EqualTo(new[] { "a/changed", "a/same" }));
        Assert.That(decision.Identical, Is.EquivalentTo(new[] { "a/same" }));
        Assert.That(decision.Extras, Is.EqualTo(new[] { "extra" }), "top-most only");
        Assert.That(decision.Created, Is.EqualTo(new[] { "new" }));
    }

    [Test]
    public void With_delete_extras_are_moved_aside_too_and_a_kind_change_replaces_the_whole_path()
    {
        var expected = new[] { File("p"), Dir("q"), File("q/in") };
        var current = new[] { Dir("p"), File("p/old"), File("q"), File("gone") };

        var decision = TreeRestoreDecision.Decide(expected, current, delete: true);

        Assert.That(decision.MoveAside, Is.EqualTo(new[] { "gone", "p", "q" }));
        Assert.That(decision.Extras, Is.Empty);
        Assert.That(decision.Identical, Is.Empty);
        Assert.That(decision.Created, Is.EqualTo(new[] { "q" }), "the folder replacing a file is created, with what is in it");
    }

    [Test]
    public void The_compare_names_every_difference_and_allows_only_the_kept_extras()
    {
        var expected = new[] { File("f"), File("m"), Dir("d", time: 5), File("missing") };
        var actual = new[] { File("f", "zz"), File("m", mode: 0x1FF), Dir("d", time: 6), File("kept/x"), File("stray") };

        var differences = TreeComparison.Differences(expected, actual, ["kept"]);

        Assert.That(differences, Has.Count.EqualTo(5));
        Assert.That(differences, Has.Some.EqualTo("f: SHA-256"));
        Assert.That(differences, Has.Some.EqualTo("m: mode 0777 (set: 0644)"));
        Assert.That(differences, Has.Some.StartWith("d: mtime 1970-01-01 00:00:06Z"));
        Assert.That(differences, Has.Some.EqualTo("missing: missing"));
        Assert.That(differences, Has.Some.EqualTo("stray: not in the set"));
    }

    [Test]
    public void A_tar_listing_hashes_files_keeps_modes_and_times_and_follows_hard_links()
    {
        using var archive = new MemoryStream();
        using (var tar = new TarOutputStream(archive, Encoding.UTF8) { IsStreamOwner = false })
        {
            Put(tar, "./", TarHeader.LF_DIR, 0x1ED, null);
            Put(tar, "./a.txt", TarHeader.LF_NORMAL, 0x180, "hello");
            Put(tar, "./ln", TarHeader.LF_SYMLINK, 0x1FF, null, link: "a.txt");
            Put(tar, "./hard", TarHeader.LF_LINK, 0x180, null, link: "./a.txt");
        }
        archive.Position = 0;

        var listing = TreeListing.FromTar(archive);

        Assert.That(listing.Select(e => e.Path), Is.EqualTo(new[] { "a.txt", "ln", "hard" }));
        Assert.That(listing[0], Is.EqualTo(new TreeEntry("a.txt", TreeEntryKind.File, 0x180, 5, 1_700_000_000, "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824")));
        Assert.That(listing[1].Kind, Is.EqualTo(TreeEntryKind.Link));
        Assert.That(listing[2] with { Path = "a.txt" }, Is.EqualTo(listing[0]));
    }

    [Test]
    public void A_tar_entry_climbing_out_is_refused()
    {
        using var archive = new MemoryStream();
        using (var tar = new TarOutputStream(archive, Encoding.UTF8) { IsStreamOwner = false })
            Put(tar, "./../etc/passwd", TarHeader.LF_NORMAL, 0x1A4, "x");
        archive.Position = 0;

        Assert.That(() => TreeListing.FromTar(archive), Throws.TypeOf<InvalidDataException>().With.Message.Contains("climbs out"));
    }

    private static void Put(TarOutputStream tar, string name, byte type, int mode, string? content, string? link = null)
    {
        var entry = TarEntry.CreateTarEntry(name);
        entry.TarHeader.TypeFlag = type;
        entry.TarHeader.Mode = mode;
        entry.TarHeader.ModTime = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000).UtcDateTime;
        if (link is not null) entry.TarHeader.LinkName = link;
        var bytes = content is null ? [] : Encoding.UTF8.GetBytes(content);
        entry.Size = bytes.Length;
        tar.PutNextEntry(entry);
        tar.Write(bytes, 0, bytes.Length);
        tar.CloseEntry();
    }
}

using System.IO.Compression;
using System.Text;
using ICSharpCode.SharpZipLib.Tar;
using KubeRunbooks.Backups.Archives;
using KubeRunbooks.Backups.Compression;

namespace KubeRunbooks.Tests.DataPath;

/// <summary>Parallel gzip members and tar extraction safety, as units.</summary>
[TestFixture]
public sealed class ArchiveAndCompressionTests
{
    [Test]
    public async Task Many_small_members_decompress_to_the_input_in_order()
    {
        var input = new byte[1_000_003];
        new Random(3).NextBytes(input.AsSpan(0, 500_000));
        Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("INSERT INTO t VALUES (1);\n", 20_000))).AsSpan(0, 500_003).CopyTo(input.AsSpan(500_000));
        var output = new MemoryStream();
        await using (var gzip = new ParallelGzipStream(output, level: 6, parallelism: 2, blockSize: 4096, leaveOpen: true))
        {
            for (var offset = 0; offset < input.Length; offset += 7919)
                await gzip.WriteAsync(input.AsMemory(offset, Math.Min(7919, input.Length - offset)));
        }
        output.Position = 0;
        var back = new MemoryStream();
        await using (var reader = new GZipStream(output, CompressionMode.Decompress)) await reader.CopyToAsync(back);
        Assert.That(back.ToArray(), Is.EqualTo(input));
    }

    [Test]
    public async Task An_empty_input_is_one_valid_empty_member()
    {
        var output = new MemoryStream();
        await using (new ParallelGzipStream(output, leaveOpen: true)) { }
        Assert.That(output.Length, Is.GreaterThan(0));
        output.Position = 0;
        await using var reader = new GZipStream(output, CompressionMode.Decompress);
        Assert.That(await reader.ReadAsync(new byte[16]), Is.Zero);
    }

    [TestCase("../escape.txt")]
    [TestCase("a/../../escape.txt")]
    [TestCase("/etc/escape.txt")]
    public void An_entry_that_would_land_outside_the_folder_is_refused(string name)
    {
        var folder = DataPathWorld.NewFolder("tar-evil");
        var e = Assert.Throws<InvalidDataException>(() => TarFolder.Extract(Tar(name, TarHeader.LF_NORMAL, null), folder));
        Assert.That(e!.Message, Does.Contain(name.TrimStart('/')).Or.Contain(name));
        Assert.That(File.Exists(Path.Combine(Path.GetDirectoryName(folder)!, "escape.txt")), Is.False);
    }

    [TestCase("/etc/passwd")]
    [TestCase("../../outside")]
    public void A_link_pointing_outside_the_folder_is_refused(string target)
    {
        var folder = DataPathWorld.NewFolder("tar-link");
        var e = Assert.Throws<InvalidDataException>(() => TarFolder.Extract(Tar("link", TarHeader.LF_SYMLINK, target), folder));
        Assert.That(e!.Message, Does.Contain("points outside"));
        Assert.That(Directory.EnumerateFileSystemEntries(folder), Is.Empty);
    }

    private static MemoryStream Tar(string name, byte type, string? link)
    {
        var stream = new MemoryStream();
        using (var tar = new TarOutputStream(stream, Encoding.UTF8) { IsStreamOwner = false })
        {
            var entry = TarEntry.CreateTarEntry(name);
            entry.TarHeader.Name = name; // as written, not normalised
            entry.TarHeader.TypeFlag = type;
            if (link is not null) entry.TarHeader.LinkName = link;
            var data = type == TarHeader.LF_NORMAL ? "evil"u8.ToArray() : [];
            entry.Size = data.Length;
            tar.PutNextEntry(entry);
            tar.Write(data, 0, data.Length);
            tar.CloseEntry();
        }
        stream.Position = 0;
        return stream;
    }
}

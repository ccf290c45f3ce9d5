using System.Text;
using KubeRunbooks.Databases;

namespace KubeRunbooks.Tests.Databases;

/// <summary>
/// The streaming DEFINER filter against the seed's sed itself: the same bytes out for mysqldump's lines, edge cases,
/// random inputs cut at random places, multi-byte UTF-8 split across writes, lines of several MB, bounded memory.
/// </summary>
[TestFixture]
public sealed class DefinerStrippingStreamTests
{
    private static byte[] Filter(byte[] input, IEnumerable<int>? cuts = null, int memoryLimit = 1 << 20)
    {
        var output = new MemoryStream();
        using (var filter = new DefinerStrippingStream(output, leaveOpen: true, memoryLimit: memoryLimit))
        {
            var at = 0;
            foreach (var cut in cuts ?? [input.Length])
            {
                var end = Math.Min(input.Length, at + cut);
                filter.Write(input, at, end - at);
                at = end;
            }
            filter.Write(input, at, input.Length - at);
        }
        return output.ToArray();
    }

    private static string Filter(string text) => Encoding.UTF8.GetString(Filter(Encoding.UTF8.GetBytes(text)));

    [TestCase("/*!50013 DEFINER=`appdef`@`%` SQL SECURITY DEFINER */\n", "/*!50013 */\n")]
    [TestCase("/*!50003 CREATE*/ /*!50017 DEFINER=`appdef`@`%`*/ /*!50003 TRIGGER tr1 BEFORE INSERT ON t FOR EACH ROW SET NEW.v = CONCAT(NEW.v, '*') \n",
        "/*!50003 CREATE*/ /*!50017 */ /*!50003 TRIGGER tr1 BEFORE INSERT ON t FOR EACH ROW SET NEW.v = CONCAT(NEW.v, '*') \n")]
    [TestCase("CREATE DEFINER=`appdef`@`%` PROCEDURE `p1`()\n", "CREATE DEFINER=`appdef`@`%` PROCEDURE `p1`()\n")]
    [TestCase("CREATE DEFINER=`a`@`%` FUNCTION `f`() RETURNS INT RETURN 2*3\n", "CREATE *3\n")]
    [TestCase("DEFINER = x * y DEFINER=z*\n", "* y DEFINER=z*\n")]
    [TestCase("DEFINERDEFINER=x*\n", "DEFINER*\n")]
    [TestCase("DEFIDEFINER=x*\n", "DEFI*\n")]
    [TestCase("DEFINER x=*\n", "DEFINER x=*\n")]
    [TestCase("definer=x*\n", "definer=x*\n")]
    [TestCase("DEFINER=\n*\n", "DEFINER=\n*\n")]
    [TestCase("DEFINER=x", "DEFINER=x")]
    [TestCase("DEFINER=x*", "*")]
    [TestCase("DEFINE", "DEFINE")]
    [TestCase("a DEFINER=b*c\nd DEFINER=e*f\n", "a *c\nd *f\n")]
    [TestCase("DEFINER=`ユーザー`@`%` SQL SECURITY DEFINER */ 日本語\n", "*/ 日本語\n")]
    [TestCase("", "")]
    public void Lines_are_changed_as_the_seeds_sed_changes_them(string input, string expected)
    {
        Assert.That(Filter(input), Is.EqualTo(expected));
        Assert.That(Encoding.UTF8.GetString(SedReference.Run(Encoding.UTF8.GetBytes(input))), Is.EqualTo(expected), "the expectation is sed's");
    }

    [TestCase("CREATE DEFINER=`appdef`@`%` PROCEDURE `p1`()\n", "CREATE PROCEDURE `p1`()\n")]
    [TestCase("CREATE DEFINER=`a``b`@`10.0.%` FUNCTION `f`(x INT) RETURNS int(11)\n", "CREATE FUNCTION `f`(x INT) RETURNS int(11)\n")]
    [TestCase("CREATE DEFINER=`a`@`%` FUNCTION `f`() RETURNS INT RETURN 2*3\n", "CREATE FUNCTION `f`() RETURNS INT RETURN 2*3\n")]
    [TestCase("CREATE DEFINER=`a`@`%` PROCEDURE `p`()", "CREATE PROCEDURE `p`()")]
    [TestCase("/*!50013 DEFINER=`a`@`%` SQL SECURITY DEFINER */\nCREATE DEFINER=`a`@`%` PROCEDURE `p`()\n", "/*!50013 */\nCREATE PROCEDURE `p`()\n")]
    [TestCase(" CREATE DEFINER=`a`@`%` PROCEDURE `p`()\n", " CREATE DEFINER=`a`@`%` PROCEDURE `p`()\n")]
    [TestCase("CREATE DEFINER=CURRENT_USER PROCEDURE `p`()\n", "CREATE DEFINER=CURRENT_USER PROCEDURE `p`()\n")]
    [TestCase("CREATE DEFINER=`a`@`%`\n", "CREATE DEFINER=`a`@`%`\n")]
    public void With_routine_headers_the_account_of_a_routine_header_goes_too(string input, string expected)
    {
        var output = new MemoryStream();
        using (var filter = new DefinerStrippingStream(output, leaveOpen: true, routineHeaders: true))
        {
            foreach (var b in Encoding.UTF8.GetBytes(input)) filter.Write([b]);
        }

        Assert.That(Encoding.UTF8.GetString(output.ToArray()), Is.EqualTo(expected));
    }

    [Test]
    public void Random_inputs_cut_at_random_places_give_sed_s_bytes()
    {
        var random = new Random(20261206);
        var pieces = new[] { "DEFINER", "DEFINER=", "DEFINER =", "DEFIN", "D", "=", " ", "*", "*/", "\n", "\r\n", "x", "`u`@`h`", "é", "日本", "\0", "DEFINER  = " };
        for (var round = 0; round < 40; round++)
        {
            var text = new StringBuilder();
            for (var n = random.Next(0, 60); n > 0; n--) text.Append(pieces[random.Next(pieces.Length)]);
            var input = Encoding.UTF8.GetBytes(text.ToString());
            var cuts = Enumerable.Range(0, input.Length).Select(_ => random.Next(0, 5)).ToList();

            var expected = SedReference.Run(input);

            Assert.That(Filter(input, cuts), Is.EqualTo(expected), $"input: {text}");
            Assert.That(Filter(input, cuts, memoryLimit: 3), Is.EqualTo(expected), $"spilling, input: {text}");
        }
    }

    [Test]
    public void Multi_byte_characters_split_across_writes_pass_unchanged()
    {
        var text = "INSERT INTO t VALUES ('日本語のテキスト','Ünïcødé 🎉'),('DEFINER=`ユーザー`@`%` ok */ 残り');\n";
        var input = Encoding.UTF8.GetBytes(text);

        var oneByteWrites = Filter(input, Enumerable.Repeat(1, input.Length));

        Assert.That(oneByteWrites, Is.EqualTo(SedReference.Run(input, "C.UTF-8")));
        Assert.That(Encoding.UTF8.GetString(oneByteWrites), Is.EqualTo("INSERT INTO t VALUES ('日本語のテキスト','Ünïcødé 🎉'),('*/ 残り');\n"));
    }

    [Test]
    public void A_line_of_several_megabytes_is_byte_exact_whether_or_not_it_ends_the_clause()
    {
        var filler = new string('x', 6 << 20);
        foreach (var text in new[] { $"DEFINER={filler}\nnext*\n", $"DEFINER={filler}*tail\n", $"{filler}DEFINER=`u`@`h`*/{filler}\n" })
        {
            var input = Encoding.ASCII.GetBytes(text);
            Assert.That(Filter(input, Enumerable.Repeat(65536, input.Length / 65536 + 1), memoryLimit: 1 << 16), Is.EqualTo(SedReference.Run(input)));
        }
    }

    [Test]
    public void Memory_does_not_grow_with_the_input_or_with_a_held_clause()
    {
        // 64 MiB through the filter, half of it one clause held back without a '*' (spilled past the 64 KiB limit).
        var chunk = new byte[65536];
        Array.Fill(chunk, (byte)'y');
        using var sink = new CountingSink();
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        using (var filter = new DefinerStrippingStream(sink, leaveOpen: true, memoryLimit: 1 << 16))
        {
            filter.Write("DEFINER="u8);
            for (var i = 0; i < 512; i++) filter.Write(chunk);
            filter.Write("\n"u8);
            for (var i = 0; i < 512; i++) filter.Write(chunk);
            Assert.That(filter.LargestHold, Is.EqualTo(8 + 512L * 65536));
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

        Assert.That(sink.Count, Is.EqualTo(8 + 1024L * 65536 + 1));
        Assert.That(allocated, Is.LessThan(4 << 20), "allocations stay far below the 64 MiB that went through");
    }

    [Test]
    public async Task CopyAsync_is_a_pipe_stage_that_counts_its_substitutions()
    {
        var input = new MemoryStream(Encoding.UTF8.GetBytes("/*!50013 DEFINER=`a`@`%` SQL SECURITY DEFINER */\n/*!50017 DEFINER=`a`@`%`*/\nkeep\n"));
        var output = new MemoryStream();

        var substitutions = await DefinerStrippingStream.CopyAsync(input, output);

        Assert.That(substitutions, Is.EqualTo(2));
        Assert.That(Encoding.UTF8.GetString(output.ToArray()), Is.EqualTo("/*!50013 */\n/*!50017 */\nkeep\n"));
        Assert.That(output.CanWrite, Is.True, "the destination is left open");
    }

    /// <summary>A sink that only counts bytes, so the test measures the filter's memory, not the output's.</summary>
    private sealed class CountingSink : Stream
    {
        public long Count { get; private set; }
        public override void Write(byte[] buffer, int offset, int count) => Count += count;
        public override void Write(ReadOnlySpan<byte> buffer) => Count += buffer.Length;
        public override void Flush() { }
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => Count;
        public override long Position { get => Count; set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}

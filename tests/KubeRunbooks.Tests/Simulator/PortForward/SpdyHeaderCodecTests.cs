using System.Security.Cryptography;
using KubeRunbooks.Simulator.Runtime.PortForward;

namespace KubeRunbooks.Tests.Simulator.PortForward;

/// <summary>The SPDY/3 header blocks of a port-forward connection: the spec's dictionary and the zlib stream per direction.</summary>
public sealed class SpdyHeaderCodecTests
{
    [Test]
    public void The_dictionary_is_the_specs_1423_bytes() =>
        Assert.That(Convert.ToHexStringLower(SHA256.HashData(SpdyDictionary.Bytes)), Is.EqualTo("51d27341373f923f3cd88e1eb7162aeaa3723d7585ff2399201dc06498407f02"));

    [Test]
    public void Blocks_encoded_one_after_another_decode_in_order_on_the_other_side()
    {
        var sender = new SpdyHeaderCodec();
        var receiver = new SpdyHeaderCodec();
        var first = new Dictionary<string, string> { ["streamType"] = "error", ["port"] = "6379", ["requestID"] = "0" };
        var second = new Dictionary<string, string> { ["streamType"] = "data", ["port"] = "6379", ["requestID"] = "0" };

        var one = receiver.Decode(sender.Encode(first));
        var two = receiver.Decode(sender.Encode(second));

        Assert.Multiple(() =>
        {
            Assert.That(one["streamtype"], Is.EqualTo("error"), "names go lower case on the wire and are read case-insensitively");
            Assert.That(two["StreamType"], Is.EqualTo("data"));
            Assert.That(two["port"], Is.EqualTo("6379"));
        });
    }

    [Test]
    public void Each_block_ends_with_a_sync_flush_so_that_kubectls_reader_surfaces_it()
    {
        var codec = new SpdyHeaderCodec();
        var first = codec.Encode(new Dictionary<string, string>());
        var second = codec.Encode(new Dictionary<string, string>());

        Assert.Multiple(() =>
        {
            Assert.That(first[..6], Is.EqualTo(new byte[] { 0x78, 0xBB, 0xE3, 0xC6, 0xA7, 0xC2 }), "zlib header with FDICT and the dictionary's Adler-32, once");
            Assert.That(first[^4..], Is.EqualTo(new byte[] { 0x00, 0x00, 0xFF, 0xFF }));
            Assert.That(second[^4..], Is.EqualTo(new byte[] { 0x00, 0x00, 0xFF, 0xFF }));
            Assert.That(second[..2], Is.Not.EqualTo(new byte[] { 0x78, 0xBB }), "one zlib stream per connection");
        });
    }

    [Test]
    public void A_block_from_another_compression_stream_is_refused()
    {
        var sender = new SpdyHeaderCodec();
        sender.Encode(new Dictionary<string, string> { ["a"] = "b" });
        var laterBlock = sender.Encode(new Dictionary<string, string> { ["c"] = "d" });

        // Without the first block's history (and its zlib header) the second does not decode.
        Assert.That(() => new SpdyHeaderCodec().Decode(laterBlock), Throws.InstanceOf<Exception>());
    }
}

using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using ICSharpCode.SharpZipLib.Zip.Compression;

namespace KubeRunbooks.Simulator.Runtime.PortForward;

/// <summary>
/// The header blocks of one SPDY/3 connection: name/value pairs in one zlib stream per direction for the
/// connection's life, each block ending with a sync flush so that it inflates alone. The peer's blocks refer to
/// <see cref="SpdyDictionary"/>, which .NET's zlib cannot preset: SharpZipLib's Inflater inflates them. Ours are
/// .NET's deflate after a zlib header naming the dictionary: Go's reader (kubectl's spdystream) surfaces a block
/// only at a sync flush's empty stored block, which SharpZipLib's Deflater does not write.
/// </summary>
internal sealed class SpdyHeaderCodec
{
    private readonly Inflater _inflater = new();
    private readonly MemoryStream _compressed = new();
    private readonly DeflateStream _deflater;
    private bool _headerWritten;

    /// <summary>Creates the codec of one connection.</summary>
    public SpdyHeaderCodec() => _deflater = new DeflateStream(_compressed, CompressionLevel.Optimal, leaveOpen: true);

    /// <summary>The pairs of a received header block (names lower case, as SPDY/3 sends them).</summary>
    /// <exception cref="InvalidDataException">The block does not inflate or is malformed.</exception>
    public IReadOnlyDictionary<string, string> Decode(ReadOnlySpan<byte> compressed)
    {
        _inflater.SetInput(compressed.ToArray());
        using var plain = new MemoryStream();
        var buffer = new byte[4096];
        while (true)
        {
            var n = _inflater.Inflate(buffer);
            if (n > 0) { plain.Write(buffer, 0, n); continue; }
            if (_inflater.IsNeedingDictionary) { _inflater.SetDictionary(SpdyDictionary.Bytes); continue; }
            break;
        }
        return Parse(plain.ToArray());
    }

    /// <summary>The compressed header block of <paramref name="headers"/> (empty for none).</summary>
    public byte[] Encode(IReadOnlyDictionary<string, string> headers)
    {
        using var plain = new MemoryStream();
        WriteInt(plain, headers.Count);
        foreach (var (name, value) in headers)
        {
            WriteString(plain, name.ToLowerInvariant());
            WriteString(plain, value);
        }
        _compressed.SetLength(0);
        if (!_headerWritten)
        {
            // RFC 1950: deflate with a 32 KiB window, FDICT set (0x78 0xBB passes the check), then the dictionary's Adler-32.
            _compressed.Write([0x78, 0xBB]);
            Span<byte> id = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(id, Adler32(SpdyDictionary.Bytes));
            _compressed.Write(id);
            _headerWritten = true;
        }
        plain.Position = 0;
        plain.CopyTo(_deflater);
        _deflater.Flush(); // Z_SYNC_FLUSH: ends with 00 00 FF FF
        return _compressed.ToArray();
    }

    private static uint Adler32(byte[] data)
    {
        var adler = new ICSharpCode.SharpZipLib.Checksum.Adler32();
        adler.Update(data);
        return (uint)adler.Value;
    }

    private static Dictionary<string, string> Parse(byte[] block)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var at = 0;
        var count = ReadInt(block, ref at);
        for (var i = 0; i < count; i++)
        {
            var name = ReadString(block, ref at);
            headers[name] = ReadString(block, ref at);
        }
        return headers;
    }

    private static int ReadInt(byte[] block, ref int at)
    {
        if (at + 4 > block.Length) throw new InvalidDataException("a SPDY header block ends early");
        var value = BinaryPrimitives.ReadInt32BigEndian(block.AsSpan(at));
        at += 4;
        return value;
    }

    private static string ReadString(byte[] block, ref int at)
    {
        var length = ReadInt(block, ref at);
        if (length < 0 || at + length > block.Length) throw new InvalidDataException("a SPDY header block ends early");
        var text = Encoding.UTF8.GetString(block, at, length);
        at += length;
        return text;
    }

    private static void WriteInt(Stream output, int value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(bytes, value);
        output.Write(bytes);
    }

    private static void WriteString(Stream output, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        WriteInt(output, bytes.Length);
        output.Write(bytes);
    }
}

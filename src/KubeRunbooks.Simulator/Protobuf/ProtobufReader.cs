namespace KubeRunbooks.Simulator.Protobuf;

/// <summary>Reads protobuf wire format: tags, varints, length-delimited slices, fixed 32/64-bit values.</summary>
internal ref struct ProtobufReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _position;

    public readonly bool AtEnd => _position >= _data.Length;

    public (int Field, int WireType) ReadTag()
    {
        var tag = ReadVarint();
        return ((int)(tag >> 3), (int)(tag & 7));
    }

    public ulong ReadVarint()
    {
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (_position >= _data.Length) throw new FormatException("truncated varint");
            var b = _data[_position++];
            result |= (ulong)(b & 0x7f) << shift;
            if ((b & 0x80) == 0) return result;
        }
        throw new FormatException("varint too long");
    }

    public ReadOnlySpan<byte> ReadLengthDelimited()
    {
        var length = (int)ReadVarint();
        if (length < 0 || _position + length > _data.Length) throw new FormatException("truncated length-delimited field");
        var slice = _data.Slice(_position, length);
        _position += length;
        return slice;
    }

    public void Skip(int wireType)
    {
        switch (wireType)
        {
            case 0: ReadVarint(); break;
            case 1: _position += 8; break;
            case 2: ReadLengthDelimited(); break;
            case 5: _position += 4; break;
            default: throw new FormatException($"unsupported wire type {wireType}");
        }
        if (_position > _data.Length) throw new FormatException("truncated field");
    }
}

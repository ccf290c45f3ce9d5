namespace KubeRunbooks.Databases;

/// <summary>
/// Bytes held back while a filter cannot yet decide what to write: kept in memory up to a limit, beyond it in a
/// temporary file deleted on close, so that memory stays bounded whatever the length of a line.
/// </summary>
public sealed class SpillBuffer : IDisposable
{
    private readonly int _memoryLimit;
    private readonly MemoryStream _memory = new();
    private FileStream? _file;

    /// <summary>Creates the buffer.</summary>
    /// <param name="memoryLimit">Bytes kept in memory before the rest goes to a temporary file.</param>
    public SpillBuffer(int memoryLimit = 1 << 20)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(memoryLimit);
        _memoryLimit = memoryLimit;
    }

    /// <summary>The number of bytes held.</summary>
    public long Length => _memory.Length + (_file?.Length ?? 0);

    /// <summary>True when some bytes went to the temporary file.</summary>
    public bool Spilled => _file is not null;

    /// <summary>The bytes held when they are all in memory (not spilled); false otherwise.</summary>
    public bool TryGetMemory(out ReadOnlySpan<byte> bytes)
    {
        bytes = _file is null ? _memory.GetBuffer().AsSpan(0, (int)_memory.Length) : default;
        return _file is null;
    }

    /// <summary>Appends bytes.</summary>
    public void Append(ReadOnlySpan<byte> bytes)
    {
        var room = (int)Math.Max(0, _memoryLimit - _memory.Length);
        if (_file is null && bytes.Length <= room)
        {
            _memory.Write(bytes);
            return;
        }

        if (_file is null)
        {
            _memory.Write(bytes[..room]);
            bytes = bytes[room..];
            _file = new FileStream(Path.Combine(Path.GetTempPath(), $"kr-spill-{Guid.NewGuid():N}.tmp"), FileMode.CreateNew, FileAccess.ReadWrite,
                FileShare.None, 81920, FileOptions.DeleteOnClose);
        }

        _file.Write(bytes);
    }

    /// <summary>Writes the bytes held, in order, to <paramref name="destination"/>, then empties the buffer.</summary>
    public void WriteTo(Stream destination)
    {
        destination.Write(_memory.GetBuffer(), 0, (int)_memory.Length);
        if (_file is not null)
        {
            _file.Position = 0;
            _file.CopyTo(destination);
        }

        Clear();
    }

    /// <summary>Forgets the bytes held (the temporary file is deleted).</summary>
    public void Clear()
    {
        _memory.SetLength(0);
        _file?.Dispose();
        _file = null;
    }

    /// <inheritdoc />
    public void Dispose() => Clear();
}

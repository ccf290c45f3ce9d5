namespace KubeRunbooks.Simulator.Audit;

/// <summary>
/// A log file of one JSON document per line, appended to and flushed line by line so a reader (a test, a target's
/// check) sees a request's line as soon as its response is sent; lines from concurrent requests never interleave.
/// The writer behind the audit log and the access log.
/// </summary>
public sealed class JsonLinesFile : IDisposable
{
    private readonly object _gate = new();
    private readonly StreamWriter _writer;

    /// <summary>Opens (appends to) the file, creating its folder.</summary>
    public JsonLinesFile(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        var stream = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        _writer = new StreamWriter(stream) { AutoFlush = true };
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>Appends one line (a JSON document already written on one line).</summary>
    public void Append(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        lock (_gate) _writer.WriteLine(json);
    }

    /// <summary>Closes the file.</summary>
    public void Dispose()
    {
        lock (_gate) _writer.Dispose();
    }
}

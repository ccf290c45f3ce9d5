using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using KubeRunbooks.Simulator.Store;

namespace KubeRunbooks.Simulator.State;

/// <summary>
/// The state file: one header line <c>kuberunbooks-cluster-state v1 sha256=HEX length=N</c>, then N bytes of JSON
/// <c>{"resourceVersion":V,"objects":[...]}</c>.
/// <para>
/// Why a whole snapshot per mutation rather than an append log: a local cluster holds a few hundred objects, so
/// rewriting them costs milliseconds, and there is then one file format that is always complete, with no replay,
/// compaction or torn-tail rules to get wrong. Each write goes to a temporary file that is fsynced and then
/// renamed over the state file (rename is atomic on one file system), so a reader sees the old or the new
/// snapshot, never a mix; a SIGKILL loses at most the mutation whose write was in flight. The checksum and
/// length catch a file truncated or changed behind our back (a copy gone wrong, a disk fault, a hand edit).
/// </para>
/// </summary>
public static class StateFile
{
    /// <summary>The state file's name inside the state folder.</summary>
    public const string FileName = "cluster.json";

    private const string Magic = "kuberunbooks-cluster-state";
    private const string FormatVersion = "v1";
    private const int MaxHeaderBytes = 256;

    /// <summary>
    /// Test seam: called during every write with the stage reached and the snapshot's resourceVersion, so a test
    /// can kill the process at a known point (a half-written temporary file, a synced one not yet renamed).
    /// </summary>
    internal static Action<WriteStage, long>? WriteStageHook { get; set; }

    /// <summary>Writes the snapshot to <paramref name="path"/> atomically and durably (temporary file, fsync, rename).</summary>
    public static void Write(string path, StoreSnapshot snapshot)
    {
        var body = Serialize(snapshot);
        var header = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"{Magic} {FormatVersion} sha256={Convert.ToHexStringLower(SHA256.HashData(body))} length={body.Length}\n"));
        var temporary = path + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            file.Write(header);
            file.Write(body.AsSpan(0, body.Length / 2));
            file.Flush();
            WriteStageHook?.Invoke(WriteStage.HalfWritten, snapshot.ResourceVersion);
            file.Write(body.AsSpan(body.Length / 2));
            file.Flush(flushToDisk: true);
        }
        WriteStageHook?.Invoke(WriteStage.Synced, snapshot.ResourceVersion);
        // rename(2) replaces the state file atomically. The folder itself is not fsynced (.NET cannot open a
        // directory handle): after a power cut, ext4 and xfs still give the old or the new file, never a mix.
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The snapshot in <paramref name="path"/>, or null when there is no state file yet.</summary>
    /// <exception cref="StateFileCorruptException">The file is truncated, altered, not ours or unreadable.</exception>
    public static StoreSnapshot? Read(string path)
    {
        byte[] bytes;
        try
        {
            if (!File.Exists(path)) return null;
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StateFileCorruptException(path, "cannot be read: " + e.GetType().Name, e);
        }
        var body = VerifiedBody(path, bytes);
        return Parse(path, body);
    }

    private static byte[] Serialize(StoreSnapshot snapshot)
    {
        var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteNumber("resourceVersion", snapshot.ResourceVersion);
            writer.WriteStartArray("objects");
            foreach (var obj in snapshot.Objects) obj.WriteTo(writer);
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return stream.ToArray();
    }

    private static ReadOnlyMemory<byte> VerifiedBody(string path, byte[] bytes)
    {
        var newline = Array.IndexOf(bytes, (byte)'\n', 0, Math.Min(bytes.Length, MaxHeaderBytes));
        if (newline < 0) throw new StateFileCorruptException(path, bytes.Length == 0 ? "empty file" : "no state header");
        var fields = Encoding.ASCII.GetString(bytes, 0, newline).Split(' ');
        if (fields.Length != 4 || fields[0] != Magic) throw new StateFileCorruptException(path, "no state header");
        if (fields[1] != FormatVersion) throw new StateFileCorruptException(path, "unsupported format " + Printable(fields[1]));
        if (!fields[2].StartsWith("sha256=", StringComparison.Ordinal)
            || !fields[3].StartsWith("length=", StringComparison.Ordinal)
            || !long.TryParse(fields[3].AsSpan("length=".Length), NumberStyles.None, CultureInfo.InvariantCulture, out var length))
        {
            throw new StateFileCorruptException(path, "malformed state header");
        }
        var body = bytes.AsMemory(newline + 1);
        if (body.Length < length) throw new StateFileCorruptException(path, $"truncated: {body.Length} of {length} bytes");
        if (body.Length > length) throw new StateFileCorruptException(path, $"{body.Length - length} unexpected bytes after the state");
        var expected = fields[2]["sha256=".Length..];
        if (!string.Equals(Convert.ToHexStringLower(SHA256.HashData(body.Span)), expected, StringComparison.Ordinal))
        {
            throw new StateFileCorruptException(path, "checksum mismatch");
        }
        return body;
    }

    private static StoreSnapshot Parse(string path, ReadOnlyMemory<byte> body)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(body.Span);
        }
        catch (JsonException e)
        {
            // The parser's message may quote file content (a Secret's value): say only that it is not JSON.
            throw new StateFileCorruptException(path, "not valid JSON", e);
        }
        if (root is not JsonObject document
            || document["resourceVersion"] is not JsonValue versionNode
            || !versionNode.TryGetValue<long>(out var version) || version < 0
            || document["objects"] is not JsonArray objects
            || objects.Any(o => o is not JsonObject))
        {
            throw new StateFileCorruptException(path, "not a cluster state document");
        }
        return new StoreSnapshot(version, objects.Cast<JsonObject>().ToList());
    }

    // Header fields are ours, but a garbage file could put anything there: keep the message one clean line.
    private static string Printable(string text) =>
        new(text.Take(20).Select(c => char.IsAsciiLetterOrDigit(c) || c == '.' ? c : '?').ToArray());
}

/// <summary>Points inside <see cref="StateFile.Write"/> where a test may stop the process.</summary>
internal enum WriteStage
{
    /// <summary>The temporary file holds the header and half the body.</summary>
    HalfWritten,

    /// <summary>The temporary file is complete and fsynced, not yet renamed over the state file.</summary>
    Synced,
}

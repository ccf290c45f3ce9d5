namespace KubeRunbooks.Secrets;

/// <summary>A file to install in a sensitive folder: its name there and its content (held in memory, never logged).</summary>
/// <param name="Name">The file name in the folder (e.g. <c>fullchain.crt</c>).</param>
/// <param name="Content">The bytes.</param>
public sealed record SensitiveFile(string Name, byte[] Content)
{
    /// <summary>No content in the text: a record's default printing would show the bytes.</summary>
    public override string ToString() => $"{Name} ({Content.Length} bytes)";
}

namespace KubeRunbooks.Simulator.Runtime;

/// <summary>A container image split into repository and tag (<c>host:5000/a/b:1.2@sha256:..</c>).</summary>
public sealed record ImageReference(string Repository, string Tag)
{
    /// <summary>The last path segment of the repository (<c>mongobackup</c> for <c>vantiq/mongobackup</c>).</summary>
    public string ShortName => Repository[(Repository.LastIndexOf('/') + 1)..];

    /// <summary>Parses an image; a missing tag is <c>latest</c>, a digest is dropped.</summary>
    public static ImageReference Parse(string? image)
    {
        var text = image ?? "";
        var at = text.IndexOf('@');
        if (at >= 0) text = text[..at];
        var colon = text.LastIndexOf(':');
        // A colon before the last slash is a registry port, not a tag.
        if (colon > text.LastIndexOf('/'))
            return new ImageReference(text[..colon], text[(colon + 1)..]);
        return new ImageReference(text, "latest");
    }
}

namespace KubeRunbooks.Simulator.Runtime;

/// <summary>
/// The image a simulated kubelet "pulls" for a container, split into repository and tag as the kubelet does (a missing
/// tag is latest). Not the library's ImageReference, which keeps a missing tag missing: it reads what a workload names.
/// </summary>
public sealed record PulledImage(string Repository, string Tag)
{
    /// <summary>The last path segment of the repository (<c>mongobackup</c> for <c>vantiq/mongobackup</c>).</summary>
    public string ShortName => Repository[(Repository.LastIndexOf('/') + 1)..];

    /// <summary>Parses an image; a missing tag is <c>latest</c>, a digest is dropped.</summary>
    public static PulledImage Parse(string? image)
    {
        var text = image ?? "";
        var at = text.IndexOf('@');
        if (at >= 0) text = text[..at];
        var colon = text.LastIndexOf(':');
        // A colon before the last slash is a registry port, not a tag.
        if (colon > text.LastIndexOf('/'))
            return new PulledImage(text[..colon], text[(colon + 1)..]);
        return new PulledImage(text, "latest");
    }
}

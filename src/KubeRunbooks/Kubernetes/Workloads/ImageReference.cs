namespace KubeRunbooks.Kubernetes.Workloads;

/// <summary>A container image split into repository, tag and digest, as Docker references are written.</summary>
/// <param name="Repository">Registry and path, e.g. <c>quay.io/vantiq/vantiq-server</c>.</param>
/// <param name="Tag">The tag, or null when the image has none.</param>
/// <param name="Digest">The <c>@sha256:...</c> digest, or null.</param>
public sealed record ImageReference(string Repository, string? Tag, string? Digest)
{
    /// <summary>Parses an image reference; a colon in the registry host (<c>host:5000/app</c>) is not a tag.</summary>
    /// <param name="image">The image text.</param>
    /// <returns>The parts.</returns>
    public static ImageReference Parse(string image)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(image);
        string? digest = null;
        var at = image.IndexOf('@');
        if (at >= 0) { digest = image[(at + 1)..]; image = image[..at]; }
        var lastSlash = image.LastIndexOf('/');
        var colon = image.LastIndexOf(':');
        if (colon > lastSlash) return new ImageReference(image[..colon], image[(colon + 1)..], digest);
        return new ImageReference(image, null, digest);
    }

    /// <summary>The same repository with another tag; the digest is dropped since it pins the old image.</summary>
    /// <param name="tag">The new tag.</param>
    /// <returns>The new reference.</returns>
    public ImageReference WithTag(string tag)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tag);
        if (tag.Contains(':') || tag.Contains('/') || tag.Contains('@') || tag.Any(char.IsWhiteSpace))
            throw new ArgumentException($"'{tag}' is not a valid image tag.", nameof(tag));
        return new ImageReference(Repository, tag, null);
    }

    /// <summary>The reference as text.</summary>
    public override string ToString() => Repository + (Tag is null ? "" : ":" + Tag) + (Digest is null ? "" : "@" + Digest);
}

namespace KubeRunbooks.Tests.Kubernetes.Support;

/// <summary>A request the canned server received.</summary>
internal sealed record CannedRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string Path => PathAndQuery.Split('?')[0];

    public string Query => PathAndQuery.Contains('?') ? PathAndQuery[(PathAndQuery.IndexOf('?') + 1)..] : "";
}

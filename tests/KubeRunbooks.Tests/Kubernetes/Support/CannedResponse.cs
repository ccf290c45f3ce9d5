namespace KubeRunbooks.Tests.Kubernetes.Support;

/// <summary>What the canned server answers: a status, headers and a body, or a dropped connection.</summary>
internal sealed record CannedResponse(int Status, string Body = "", string ContentType = "application/json", IReadOnlyDictionary<string, string>? Headers = null, bool Drop = false)
{
    public static CannedResponse Json(string body, int status = 200) => new(status, body);

    public static CannedResponse Dropped() => new(0, Drop: true);
}

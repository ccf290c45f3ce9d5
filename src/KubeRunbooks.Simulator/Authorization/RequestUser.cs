namespace KubeRunbooks.Simulator.Authorization;

/// <summary>Who made a request, as the API server's authenticator names it.</summary>
/// <param name="Name">The user name (<c>system:serviceaccount:NS:NAME</c> for a service account).</param>
/// <param name="Groups">The user's groups.</param>
public sealed record RequestUser(string Name, IReadOnlyList<string> Groups)
{
    /// <summary>Where the authenticated user is kept among a request's items.</summary>
    public const string ItemKey = "kuberunbooks.simulator.user";

    /// <summary>The kubeconfig's own user: a cluster administrator (<c>system:masters</c>), never checked against RBAC.</summary>
    public static RequestUser Admin { get; } = new("simulated-admin", ["system:masters", "system:authenticated"]);

    /// <summary>True for members of <c>system:masters</c>, whom RBAC does not restrict.</summary>
    public bool IsSuperUser => Groups.Contains("system:masters");

    /// <summary>A service account's user, with the groups the real server gives it.</summary>
    public static RequestUser ServiceAccount(string ns, string name) =>
        new($"system:serviceaccount:{ns}:{name}", ["system:serviceaccounts", $"system:serviceaccounts:{ns}", "system:authenticated"]);
}

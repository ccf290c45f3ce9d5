namespace KubeRunbooks.Simulator.Authorization;

/// <summary>The simulated cluster's default: the bearer token is a cluster admin, so everything is allowed.</summary>
public sealed class AllowAllAuthorizer : IAuthorizer
{
    /// <summary>The shared instance.</summary>
    public static AllowAllAuthorizer Instance { get; } = new();

    /// <inheritdoc />
    public AccessDecision Decide(AccessAttributes attributes) => new(true, "the simulated cluster's token is a cluster admin");
}

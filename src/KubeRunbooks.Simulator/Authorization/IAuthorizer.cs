namespace KubeRunbooks.Simulator.Authorization;

/// <summary>
/// Decides whether a request may proceed, as an API server's authorizer does. The simulated
/// cluster asks it for SelfSubjectAccessReviews (<c>kubectl auth can-i</c>); a mode that
/// enforces RBAC can be plugged in through <see cref="Server.SimulatedClusterOptions.Authorizer"/>.
/// </summary>
public interface IAuthorizer
{
    /// <summary>The decision for one set of attributes.</summary>
    AccessDecision Decide(AccessAttributes attributes);
}

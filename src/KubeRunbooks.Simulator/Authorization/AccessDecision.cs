namespace KubeRunbooks.Simulator.Authorization;

/// <summary>An authorizer's answer, as a SubjectAccessReview status carries it.</summary>
/// <param name="Allowed">True when the request may proceed.</param>
/// <param name="Reason">Why (shown by <c>kubectl auth can-i -v</c>); may be empty.</param>
public sealed record AccessDecision(bool Allowed, string Reason);

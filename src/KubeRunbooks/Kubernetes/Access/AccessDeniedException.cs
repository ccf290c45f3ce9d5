using KubeRunbooks.Errors;

namespace KubeRunbooks.Kubernetes.Access;

/// <summary>
/// The API server refused a request (403 Forbidden) before the run changed anything: input the operator corrects by
/// granting the target's role, so it ends as one line and exit 2. A 403 after a change is not this: it fails the step.
/// </summary>
public sealed class AccessDeniedException : InvalidInputException
{
    /// <summary>Creates the exception for the refused permission.</summary>
    public AccessDeniedException(AccessRule refused)
        : base($"This account may not {(refused ?? throw new ArgumentNullException(nameof(refused))).Describe()} (the API server answered 403 Forbidden before any change); grant the target's role from rbac/. Nothing was changed.")
    {
        Refused = refused;
    }

    /// <summary>The permission the server refused.</summary>
    public AccessRule Refused { get; }
}

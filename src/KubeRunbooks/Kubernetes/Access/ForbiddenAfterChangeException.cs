using KubeRunbooks.Errors;

namespace KubeRunbooks.Kubernetes.Access;

/// <summary>
/// The API server refused a request (403 Forbidden) after the run had changed the cluster: the step fails (exit 1) and
/// the run's own handling says what state it left; the message names the verb and resource to grant.
/// </summary>
public sealed class ForbiddenAfterChangeException : StepFailedException
{
    /// <summary>Creates the exception for the refused permission.</summary>
    public ForbiddenAfterChangeException(AccessRule refused, Exception inner)
        : base($"This account may not {(refused ?? throw new ArgumentNullException(nameof(refused))).Describe()} (the API server answered 403 Forbidden after the run had changed the cluster); grant the target's role from rbac/.", inner)
    {
        Refused = refused;
    }

    /// <summary>The permission the server refused.</summary>
    public AccessRule Refused { get; }
}

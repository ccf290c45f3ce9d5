namespace KubeRunbooks.Kubernetes.Inspection;

/// <summary>One read-only check of an install: its name, pass or fail, and one line saying what was found.</summary>
/// <param name="Name">The check, e.g. <c>pods ready</c>.</param>
/// <param name="Passed">True when it passed.</param>
/// <param name="Detail">What was found (never a secret value).</param>
public sealed record CheckResult(string Name, bool Passed, string Detail)
{
    /// <summary>"PASS pods ready: 12 pods running and ready".</summary>
    public override string ToString() => $"{(Passed ? "PASS" : "FAIL")} {Name}: {Detail}";
}

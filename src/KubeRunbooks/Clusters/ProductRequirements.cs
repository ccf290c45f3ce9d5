using KubeRunbooks.Errors;

namespace KubeRunbooks.Clusters;

/// <summary>
/// The product section a runbook needs, or a one-line <see cref="InvalidInputException"/> when the profile
/// says the product is not installed: call these in a runbook's validation, before any mutation.
/// </summary>
public static class ProductRequirements
{
    /// <summary>The Vantiq section, or a one-line error when the profile has none.</summary>
    public static VantiqSettings RequireVantiq(this ClusterProfile profile) => profile.Vantiq ?? throw Missing(profile, "vantiq", "Vantiq");

    /// <summary>The KAMONOHASHI section, or a one-line error when the profile has none.</summary>
    public static KamonohashiSettings RequireKamonohashi(this ClusterProfile profile) =>
        profile.Kamonohashi ?? throw Missing(profile, "kamonohashi", "KAMONOHASHI");

    /// <summary>The Exastro section, or a one-line error when the profile has none.</summary>
    public static ExastroSettings RequireExastro(this ClusterProfile profile) => profile.Exastro ?? throw Missing(profile, "exastro", "Exastro IT Automation");

    /// <summary>The 3scale section, or a one-line error when the profile has none.</summary>
    public static ThreeScaleSettings RequireThreeScale(this ClusterProfile profile) =>
        profile.ThreeScale ?? throw Missing(profile, "threescale", "3scale");

    /// <summary>The OpenShift section, or a one-line error when the profile has none.</summary>
    public static OpenShiftSettings RequireOpenShift(this ClusterProfile profile) =>
        profile.OpenShift ?? throw Missing(profile, "openshift", "OpenShift");

    private static InvalidInputException Missing(ClusterProfile profile, string section, string product) =>
        new($"{profile.SourcePath}: no '{section}' section, so {product} is not installed on cluster '{profile.Name}' (add '{section}: {{}}' for the defaults)");
}

using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Frosting;
using KubeRunbooks.Kubernetes.Access;
using KubeRunbooks.Runbooks;

namespace KubeRunbooks.Tasks.Common;

/// <summary>
/// Before the first task of a target that has a manifest in <c>rbac/</c> (read-only targets too): asks the cluster
/// whether the run's account holds every rule of it. A missing rule is one <c>error:</c> line naming the verb and
/// resource, exit 2, before any request that could be refused and before any change. A dry run changes nothing and
/// is not checked, nor a target run without the option its manifest is only for (<c>kuberunbooks.io/only-with</c>).
/// </summary>
public sealed class AccessCheckSetup : FrostingSetup<RunbookContext>
{
    /// <inheritdoc />
    public override void Setup(RunbookContext context, ISetupContext info)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.IsDryRun || RoleManifests.For(context.Target) is not { } manifest) return;
        if (manifest.OnlyWith is { } option && context.Argument(option) is null) return;
        try
        {
            // The manifests name the default profile's namespaces: the check asks about this profile's.
            new AccessCheck(context.Kubernetes).RequireAsync(manifest, context.Target, ProfileNamespaces.Of(context.Profile)).GetAwaiter().GetResult();
            context.Journal.RecordFact("access", $"the account holds every rule of rbac/{manifest.Name}");
        }
        catch (HttpRequestException e)
        {
            // An unreachable cluster is the target's to report, in its own words (ClusterInfo names the server).
            context.Log.Verbose($"access check skipped: the cluster did not answer ({e.Message})");
        }
    }
}

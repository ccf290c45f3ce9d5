namespace KubeRunbooks.Runbooks.Plans;

/// <summary>How a target makes its plan (registered by the product module that owns the target).</summary>
/// <param name="Target">The target's name (<c>--target=NAME</c>, canonical spelling).</param>
/// <param name="PlanType">The plan type it makes.</param>
/// <param name="Build">Reads the arguments, the profile and the cluster; validation and reads only.</param>
public sealed record RunbookPlanFactory(string Target, Type PlanType, Func<RunbookContext, CancellationToken, Task<IRunbookPlan>> Build)
{
    /// <summary>The factory of a <typeparamref name="TPlan"/> for <paramref name="target"/>.</summary>
    public static RunbookPlanFactory For<TPlan>(string target, Func<RunbookContext, CancellationToken, Task<TPlan>> build) where TPlan : IRunbookPlan =>
        new(target, typeof(TPlan), async (context, cancellationToken) => await build(context, cancellationToken).ConfigureAwait(false));
}

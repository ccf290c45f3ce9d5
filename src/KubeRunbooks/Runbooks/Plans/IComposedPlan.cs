namespace KubeRunbooks.Runbooks.Plans;

/// <summary>
/// The plan of a target that runs other targets' steps in one run (a rotation of every credential): each step asks for
/// its own plan type and gets the part of that type, so the steps stay those of the targets they come from.
/// </summary>
public interface IComposedPlan : IRunbookPlan
{
    /// <summary>The parts, in the order their steps run.</summary>
    IReadOnlyList<IRunbookPlan> Parts { get; }
}

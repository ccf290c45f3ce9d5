using Cake.Core;
using Cake.Frosting;
using KubeRunbooks.Frosting;
using KubeRunbooks.Safety;
using KubeRunbooks.Tests.Frosting;

// Targets made of read-only and changing steps, to see which the host counts as changing a cluster.
namespace KubeRunbooks.Tests.Pipelines.Scenarios.Mutations;

/// <summary>Records what <see cref="RunMutations"/> says about the run it is part of.</summary>
public sealed class Probe(Journal journal) : FrostingTask
{
    public override void Run(ICakeContext context) => journal.Add("changes: " + string.Join(",", RunMutations.Of(context)));
}

[IsDependentOn(typeof(Probe))]
public sealed class ReadStep : FrostingTask;

[IsDependentOn(typeof(Probe))]
public sealed class ChangeStep : FrostingTask, IPlannedMutations
{
    public IEnumerable<string> PlanMutations(ICakeContext context) => ["scale statefulset/x to 0"];
}

[IsDependentOn(typeof(ReadStep))]
public sealed class ReadTarget : FrostingTask;

[TaskName("ChangeTarget")]
[IsDependentOn(typeof(ReadStep))]
[IsDependentOn(typeof(ChangeStep))]
public sealed class ChangeTargetTask : FrostingTask;

/// <summary>A step that joins a target from its own side ([IsDependeeOf]): the target still counts as changing.</summary>
[IsDependentOn(typeof(Probe))]
[IsDependeeOf(typeof(LateTarget))]
public sealed class LateChange : FrostingTask, IPlannedMutations
{
    public IEnumerable<string> PlanMutations(ICakeContext context) => ["delete job/y"];
}

[IsDependentOn(typeof(ReadStep))]
public sealed class LateTarget : FrostingTask;

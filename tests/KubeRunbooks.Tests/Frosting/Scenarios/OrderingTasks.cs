using Cake.Core;
using Cake.Frosting;
using KubeRunbooks.Frosting;

namespace KubeRunbooks.Tests.Frosting.Scenarios.Ordering;

public sealed class Clean(Journal journal) : FrostingTask
{
    public override void Run(ICakeContext context) => journal.Add(nameof(Clean));
}

[TaskDescription("Compiles everything")]
[IsDependentOn(typeof(Clean))]
public sealed class Compile(Journal journal) : FrostingTask, IPlannedMutations
{
    public override void Run(ICakeContext context) => journal.Add(nameof(Compile));

    public IEnumerable<string> PlanMutations(ICakeContext context)
    {
        journal.Add("planned " + nameof(Compile));
        return ["scale statefulset/vantiq to 0", "delete pod vantiq-0"];
    }
}

[IsDependeeOf(typeof(Check))]
public sealed class Lint(Journal journal) : AsyncFrostingTask
{
    public override async Task RunAsync(ICakeContext context)
    {
        await Task.Yield();
        journal.Add(nameof(Lint));
    }
}

[TaskName("Test-Suite")]
[IsDependentOn(typeof(Compile))]
public sealed class Check(Journal journal) : FrostingTask
{
    public override void Run(ICakeContext context) => journal.Add("Test-Suite");
}

/// <summary>Skipped by its criteria.</summary>
[IsDependentOn(typeof(Check))]
public sealed class Publish(Journal journal) : FrostingTask, IPlannedMutations
{
    public IEnumerable<string> PlanMutations(ICakeContext context) => ["push the package"];

    public override bool ShouldRun(ICakeContext context) => context.Arguments.HasArgument("publish");

    public override void Run(ICakeContext context) => journal.Add(nameof(Publish));
}

[TaskDescription("Runs the whole pipeline")]
[IsDependentOn(typeof(Publish))]
public sealed class Default(Journal journal) : FrostingTask, IPlannedMutations
{
    public override void Run(ICakeContext context) => journal.Add(nameof(Default));

    public IEnumerable<string> PlanMutations(ICakeContext context) => ["restart deployment/web"];
}

using Cake.Core;
using Cake.Frosting;
using KubeRunbooks.Errors;

namespace KubeRunbooks.Tests.Frosting.Scenarios.Failing;

/// <summary>Throws what <c>--{argument}=boom|invalid|lock</c> asks for.</summary>
internal static class Faults
{
    public static void ThrowIfAsked(ICakeContext context, string argument)
    {
        switch (context.Arguments.GetArguments(argument).LastOrDefault())
        {
            case "boom":
                throw new InvalidOperationException($"{argument}: disk full on node-3");
            case "invalid":
                throw new InvalidInputException($"{argument}: unknown profile 'prod-x'");
            case "lock":
                throw new ClusterLockHeldException($"{argument}: cluster prod is locked by ci-42 until 02:00");
            case "wrapped":
                throw new AggregateException(new InvalidOperationException("outer", new InvalidInputException($"{argument}: wrapped bad input")));
        }
    }
}

public sealed class Prepare(Journal journal) : FrostingTask
{
    public override void Run(ICakeContext context) => journal.Add(nameof(Prepare));
}

[IsDependentOn(typeof(Prepare))]
public sealed class Step(Journal journal) : FrostingTask, KubeRunbooks.Frosting.IPlannedMutations
{
    public IEnumerable<string> PlanMutations(ICakeContext context)
    {
        Faults.ThrowIfAsked(context, "plan");
        return ["scale statefulset/step to 0"];
    }

    public override void Run(ICakeContext context)
    {
        journal.Add(nameof(Step));
        Faults.ThrowIfAsked(context, "step");
    }

    public override void Finally(ICakeContext context) => journal.Add("Finally Step");
}

[ContinueOnError]
[IsDependentOn(typeof(Step))]
public sealed class Optional(Journal journal) : FrostingTask
{
    public override void Run(ICakeContext context)
    {
        journal.Add(nameof(Optional));
        Faults.ThrowIfAsked(context, "optional");
    }
}

/// <summary>Handles its own failure (Cake's OnError), unless asked to rethrow.</summary>
[IsDependentOn(typeof(Optional))]
public sealed class Recovering(Journal journal) : FrostingTask
{
    public override void Run(ICakeContext context)
    {
        journal.Add(nameof(Recovering));
        Faults.ThrowIfAsked(context, "recovering");
    }

    public override void OnError(Exception exception, ICakeContext context)
    {
        journal.Add("OnError " + exception.Message);
        if (context.Arguments.HasArgument("rethrow"))
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(exception);
        }
    }
}

[IsDependentOn(typeof(Recovering))]
public sealed class Default(Journal journal) : FrostingTask
{
    public override void Run(ICakeContext context) => journal.Add(nameof(Default));
}

public sealed class RunLifetime(Journal journal) : FrostingLifetime
{
    public override void Setup(ICakeContext context, ISetupContext info)
    {
        journal.Add("Setup");
        Faults.ThrowIfAsked(context, "setup");
    }

    public override void Teardown(ICakeContext context, ITeardownContext info) => journal.Add("Teardown");
}

public sealed class PerTask(Journal journal) : FrostingTaskLifetime
{
    public override void Setup(ICakeContext context, ITaskSetupContext info) => journal.Add("before " + info.Task.Name);

    public override void Teardown(ICakeContext context, ITaskTeardownContext info) => journal.Add("after " + info.Task.Name);
}

/// <summary>Tells the journal whether the host says this is a dry run.</summary>
public sealed class ModeSetup(KubeRunbooks.Frosting.RunMode mode, Journal journal) : FrostingSetup
{
    public override void Setup(ICakeContext context, ISetupContext info) => journal.Add("dry run: " + mode.IsDryRun);
}

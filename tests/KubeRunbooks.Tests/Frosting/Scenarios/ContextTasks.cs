using Cake.Core;
using Cake.Frosting;
using KubeRunbooks.Errors;

namespace KubeRunbooks.Tests.Frosting.Scenarios.Contexts;

/// <summary>A run context built through DI from Cake's context and another registered service.</summary>
public sealed class RunbookTestContext : FrostingContext
{
    public RunbookTestContext(ICakeContext context, Journal journal) : base(context)
    {
        if (context.Arguments.HasArgument("bad-profile"))
        {
            throw new InvalidInputException("No cluster profile named 'nope'; known: local.");
        }

        Cluster = context.Arguments.GetArguments("cluster").LastOrDefault() ?? "local";
        journal.Add("context built");
    }

    public string Cluster { get; }
}

public sealed class OtherContext(ICakeContext context) : FrostingContext(context);

/// <summary>Needs a context the run does not provide: Frosting skips it.</summary>
public sealed class Mismatched(Journal journal) : FrostingTask<OtherContext>
{
    public override void Run(OtherContext context) => journal.Add(nameof(Mismatched));
}

[IsDependentOn(typeof(Mismatched))]
public sealed class Default(Journal journal) : AsyncFrostingTask<RunbookTestContext>
{
    public override Task RunAsync(RunbookTestContext context)
    {
        journal.Add("cluster " + context.Cluster);
        return Task.CompletedTask;
    }
}

public sealed class Lifetime(Journal journal) : FrostingLifetime<RunbookTestContext>
{
    public override void Setup(RunbookTestContext context, ISetupContext info) => journal.Add("setup on " + context.Cluster);

    public override void Teardown(RunbookTestContext context, ITeardownContext info) => journal.Add("teardown on " + context.Cluster);
}

/// <summary>A listener that needs the run's context.</summary>
public sealed class ContextListener(RunbookTestContext context, Journal journal) : KubeRunbooks.Frosting.IRunListener
{
    public void OnRunFinished(KubeRunbooks.Frosting.RunResult result) => journal.Add($"listener: {context.Cluster} {result.ExitCode}");
}

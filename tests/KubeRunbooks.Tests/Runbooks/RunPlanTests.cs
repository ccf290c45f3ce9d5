using Cake.Frosting;
using KubeRunbooks.Clusters.Products;
using KubeRunbooks.Runbooks;
using KubeRunbooks.Runbooks.Facts;
using KubeRunbooks.Runbooks.Ledger;
using KubeRunbooks.Runbooks.Plans;
using KubeRunbooks.Runbooks.Products;
using KubeRunbooks.Tests.Frosting;
using Microsoft.Extensions.DependencyInjection;

namespace KubeRunbooks.Tests.Runbooks
{
    /// <summary>
    /// A target's plan and the run's facts, through the real host with <see cref="RunbookContext"/>: the plan is made
    /// once by the product module that owns the target, made again once the lock is held, and a fact recorded before
    /// the lock stays (typed, and in the report).
    /// </summary>
    [TestFixture]
    [NonParallelizable]
    public sealed class RunPlanTests
    {
        [Test]
        public void The_plan_is_made_again_under_the_lock_and_facts_are_kept()
        {
            var outcome = Run("--target=After");

            Assert.That(outcome.ExitCode, Is.EqualTo(0), outcome.Out + outcome.Error);
            var entries = outcome.Journal.Entries;
            Assert.That(entries, Has.Count.EqualTo(5));
            Assert.That(entries[0], Does.StartWith("plan "));
            Assert.That(entries[1], Is.EqualTo(entries[0]), "one plan per run until the lock");
            Assert.That(entries[2], Does.StartWith("plan ").And.Not.EqualTo(entries[0]), "the plan is made again under the lock");
            Assert.That(entries[3], Is.EqualTo("fact 42"), "a fact recorded before the lock is kept, typed");
            Assert.That(entries[4], Is.EqualTo("lock namespace planned-ns"));
        }

        [Test]
        public void A_step_of_a_plan_the_target_does_not_make_is_refused_with_one_line()
        {
            var outcome = Run("--target=Unplanned");

            Assert.That(outcome.ExitCode, Is.EqualTo(2), outcome.Out + outcome.Error);
            Assert.That(outcome.Error, Does.Contain("These steps run only as part of After, not of 'Unplanned'."));
        }

        private static HostOutcome Run(string target)
        {
            var folder = Path.Combine(Path.GetTempPath(), "kr-runplan-" + Guid.NewGuid().ToString("N")[..12]);
            Directory.CreateDirectory(Path.Combine(folder, "clusters"));
            var kubeconfig = Path.Combine(folder, "kubeconfig");
            File.WriteAllText(kubeconfig, "apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: 'https://127.0.0.1:1'}}]\n"
                + "users: [{name: u, user: {token: t}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n");
            File.WriteAllText(Path.Combine(folder, "clusters", "test.yaml"), $"connection:\n  kubeconfig: {kubeconfig}\n");
            try
            {
                return HostHarness.Run(typeof(RunPlanScenario.Before).Namespace!,
                    [target, "--cluster=test", $"--paths_profiles={Path.Combine(folder, "clusters")}", $"--paths_artifacts={Path.Combine(folder, "artifacts")}"],
                    host => host.UseRunbooks().ConfigureServices(s => s.AddSingleton(new ProductRegistry([new RunPlanScenario.Module()]))));
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }
}

namespace KubeRunbooks.Tests.Runbooks.RunPlanScenario
{
    public sealed record Plan(Guid Id) : IRunbookPlan
    {
        public string LockNamespace => "planned-ns";

        public OperationOpening? Opens => null;
    }

    public sealed record Settings : IProductSettings;

    public sealed class Module : IProductModule
    {
        public static readonly RunFact<int> Answer = new("answer");

        public ProductSection Section { get; } = new("runplan", "RunPlan", typeof(Settings), (_, _) => new Settings());

        public IEnumerable<RunbookPlanFactory> Plans => [RunbookPlanFactory.For("After", (_, _) => Task.FromResult(new Plan(Guid.NewGuid())))];

        public Task<IReadOnlyList<(string Key, string Value)>> ClusterInfoAsync(RunbookContext context, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<(string Key, string Value)>>([]);
    }

    public sealed class Before(Journal journal) : FrostingTask<RunbookContext>
    {
        public override void Run(RunbookContext context)
        {
            journal.Add("plan " + context.Plan<Plan>().Id);
            journal.Add("plan " + context.Plan<Plan>().Id);
            context.Facts.Record(Module.Answer, 42);
        }
    }

    [IsDependentOn(typeof(Before))]
    public sealed class Locked : FrostingTask<RunbookContext>
    {
        public override void Run(RunbookContext context) => context.RevalidateUnderLock();
    }

    [IsDependentOn(typeof(Locked))]
    public sealed class After(Journal journal) : FrostingTask<RunbookContext>
    {
        public override void Run(RunbookContext context)
        {
            journal.Add("plan " + context.Plan<Plan>().Id);
            journal.Add("fact " + (context.Facts.TryGet(Module.Answer, out var answer) ? answer : -1));
            journal.Add("lock namespace " + context.CurrentPlan!.LockNamespace);
        }
    }

    [IsDependentOn(typeof(Before))]
    public sealed class Unplanned : FrostingTask<RunbookContext>
    {
    }
}

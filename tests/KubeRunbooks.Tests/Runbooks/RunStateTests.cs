using Cake.Frosting;
using KubeRunbooks.Frosting;
using KubeRunbooks.Runbooks;
using KubeRunbooks.Tests.Frosting;

namespace KubeRunbooks.Tests.Runbooks
{
    /// <summary>
    /// The run state shared by a runbook's tasks, through the real host with <see cref="RunbookContext"/>: one instance
    /// per type for the whole run, and what was decided before the lock is decided again once it is held.
    /// </summary>
    [TestFixture]
    [NonParallelizable]
    public sealed class RunStateTests
    {
        [Test]
        public void A_state_decided_before_the_lock_is_decided_again_under_it_and_others_are_kept()
        {
            var folder = Path.Combine(Path.GetTempPath(), "kr-runstate-" + Guid.NewGuid().ToString("N")[..12]);
            Directory.CreateDirectory(Path.Combine(folder, "clusters"));
            var kubeconfig = Path.Combine(folder, "kubeconfig");
            File.WriteAllText(kubeconfig, "apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: 'https://127.0.0.1:1'}}]\n"
                + "users: [{name: u, user: {token: t}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n");
            File.WriteAllText(Path.Combine(folder, "clusters", "test.yaml"), $"connection:\n  kubeconfig: {kubeconfig}\n");
            try
            {
                var outcome = HostHarness.Run(typeof(RunStateScenario.Before).Namespace!,
                    ["--target=After", "--cluster=test", $"--paths_profiles={Path.Combine(folder, "clusters")}", $"--paths_artifacts={Path.Combine(folder, "artifacts")}"],
                    host => host.UseRunbooks());

                Assert.That(outcome.ExitCode, Is.EqualTo(0), outcome.Out + outcome.Error);
                var entries = outcome.Journal.Entries;
                Assert.That(entries, Has.Count.EqualTo(4));
                Assert.That(entries[0], Does.StartWith("plan "));
                Assert.That(entries[2], Does.StartWith("plan ").And.Not.EqualTo(entries[0]), "the plan is made again under the lock");
                Assert.That(entries[3], Is.EqualTo(entries[1]), "a state that is not a plan is kept for the whole run");
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }
}

namespace KubeRunbooks.Tests.Runbooks.RunStateScenario
{
    public sealed class Plan : IRevalidatedUnderLock
    {
        public Guid Id { get; } = Guid.NewGuid();
    }

    public sealed class Outcome
    {
        public Guid Id { get; } = Guid.NewGuid();
    }

    public sealed class Before(Journal journal) : FrostingTask<RunbookContext>
    {
        public override void Run(RunbookContext context)
        {
            journal.Add("plan " + context.RunState<Plan>().Id);
            journal.Add("outcome " + context.RunState<Outcome>().Id);
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
            journal.Add("plan " + context.RunState<Plan>().Id);
            journal.Add("outcome " + context.RunState<Outcome>().Id);
        }
    }
}

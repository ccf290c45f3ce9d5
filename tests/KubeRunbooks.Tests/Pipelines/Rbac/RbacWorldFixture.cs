using KubeRunbooks.Tests.Support;

namespace KubeRunbooks.Tests.Pipelines.Rbac;

/// <summary>
/// One RBAC-enforcing product world per fixture and the service account <see cref="RbacAccount"/> on it: the setup
/// every product's RBAC tests share, a run with exactly one grant, and the refusal check for a manifest with one rule
/// narrowed. The world's own profile (<see cref="Profile"/>) is copied as profile <c>rbac</c> with the account's token.
/// </summary>
/// <typeparam name="TWorld">The product world.</typeparam>
public abstract class RbacWorldFixture<TWorld> where TWorld : ClusterWorld
{
    /// <summary>The product world, started with RBAC enforced for service-account tokens.</summary>
    protected TWorld World { get; private set; } = null!;

    private protected RbacAccount Account { get; private set; } = null!;

    /// <summary>The world's profile the <c>rbac</c> profile is copied from.</summary>
    protected virtual string Profile => "test";

    /// <summary>Starts the product world with RBAC enforced.</summary>
    protected abstract Task<TWorld> StartWorldAsync();

    /// <summary>Starts the world and creates the account.</summary>
    [OneTimeSetUp]
    public async Task StartAsync()
    {
        World = await StartWorldAsync();
        Account = await RbacAccount.CreateAsync(World.Cluster, World.Workspace);
    }

    /// <summary>Stops the world.</summary>
    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (World is not null) await World.DisposeAsync();
    }

    /// <summary>Runs the built host as the account (profile <c>rbac</c>) with the grant already in place.</summary>
    protected HostRun RunAsAccount(IReadOnlyDictionary<string, string>? environment, params string[] args) =>
        World.Run(environment ?? new Dictionary<string, string>(), args.Prepend("--cluster=rbac").ToArray());

    /// <summary>Grants exactly <paramref name="yaml"/>, then runs the host as the account.</summary>
    protected async Task<HostRun> RunWithAsync(string yaml, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        await Account.GrantExactlyAsync(yaml, Profile);
        return RunAsAccount(environment, args);
    }

    /// <summary>Grants exactly <c>rbac/MANIFEST</c> and checks the run passes with it, not one request refused.</summary>
    protected async Task<HostRun> PassesWithAsync(string manifest, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        await Account.GrantExactlyAsync(RbacAccount.Manifest(manifest), Profile);
        var mark = Account.Mark();
        var run = RunAsAccount(environment, args);
        RbacAssert.Passed(run, Account, mark);
        return run;
    }

    /// <summary>
    /// Grants <c>rbac/MANIFEST</c> with <paramref name="rule"/> narrowed to <paramref name="narrowed"/> and checks the
    /// target is refused before its first request: one line naming <paramref name="permission"/>, exit 2, no write.
    /// </summary>
    protected async Task RefusedBeforeFirstRequestAsync(string manifest, string rule, string narrowed, string permission, string target,
        IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        await Account.GrantExactlyAsync(RbacAccount.Without(manifest, rule, narrowed), Profile);
        var writes = File.ReadAllLines(World.Cluster.AuditLogPath).Length;
        var mark = Account.Mark();

        var run = RunAsAccount(environment, args.Prepend($"--target={target}").ToArray());

        RbacAssert.Refused(run, target, manifest, permission, Account, mark);
        Assert.That(File.ReadAllLines(World.Cluster.AuditLogPath), Has.Length.EqualTo(writes), "no write reached the cluster");
    }
}

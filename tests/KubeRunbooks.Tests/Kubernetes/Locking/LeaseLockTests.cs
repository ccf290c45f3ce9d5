using k8s.Models;
using KubeRunbooks.Errors;
using KubeRunbooks.Kubernetes.Locking;
using KubeRunbooks.Tests.Kubernetes.Support;
using KubeRunbooks.Tests.Support;

namespace KubeRunbooks.Tests.Kubernetes.Locking;

[TestFixture]
public class LeaseLockTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 1, 0, 0, TimeSpan.Zero);

    // Renewal far in the future so only explicit calls renew in these tests.
    private static LeaseLockOptions Options(string holder) => new("ops", "kuberunbooks-lock", holder, TimeSpan.FromMinutes(2), RenewEvery: TimeSpan.FromHours(1));

    private static V1Lease HeldBy(string holder, DateTimeOffset renewed, int seconds = 120) => new()
    {
        Metadata = new V1ObjectMeta { Name = "kuberunbooks-lock", NamespaceProperty = "ops" },
        Spec = new V1LeaseSpec { HolderIdentity = holder, LeaseDurationSeconds = seconds, AcquireTime = renewed.UtcDateTime, RenewTime = renewed.UtcDateTime, LeaseTransitions = 2 },
    };

    [Test]
    public async Task Creates_the_lease_when_absent_and_releases_it_on_dispose()
    {
        var store = new FakeLeaseStore();
        var clock = new ManualClock(T0);
        var handle = await new LeaseLock(_ => store, clock).AcquireAsync(Options("run-1"));
        Assert.That(store.Current!.Spec.HolderIdentity, Is.EqualTo("run-1"));
        Assert.That(store.Current.Spec.LeaseDurationSeconds, Is.EqualTo(120));
        Assert.That(handle.ExpiresAt, Is.EqualTo(T0.AddMinutes(2)));
        await handle.DisposeAsync();
        Assert.That(store.Current!.Spec.HolderIdentity, Is.Null);
    }

    [Test]
    public void A_lease_held_by_another_run_and_not_expired_refuses_with_holder_and_expiry()
    {
        var store = new FakeLeaseStore();
        store.Put(HeldBy("run-A", T0));
        var clock = new ManualClock(T0.AddSeconds(119));
        var e = Assert.ThrowsAsync<ClusterLockHeldException>(() => new LeaseLock(_ => store, clock).AcquireAsync(Options("run-B")));
        Assert.That(e!.Message, Is.EqualTo("The cluster lock (lease ops/kuberunbooks-lock) is held by run run-A until 2026-11-23 01:02:00 UTC; try again after it is released or expires."));
        Assert.That(store.Writes, Is.Zero);
        Assert.That(store.Current!.Spec.HolderIdentity, Is.EqualTo("run-A"));
    }

    [Test]
    public async Task An_expired_lease_is_taken_over()
    {
        var store = new FakeLeaseStore();
        store.Put(HeldBy("run-A", T0));
        var clock = new ManualClock(T0.AddSeconds(121));
        var lines = new List<string>();
        await using var handle = await new LeaseLock(_ => store, clock, lines.Add).AcquireAsync(Options("run-B"));
        Assert.That(store.Current!.Spec.HolderIdentity, Is.EqualTo("run-B"));
        Assert.That(store.Current.Spec.LeaseTransitions, Is.EqualTo(3));
        Assert.That(lines, Has.Some.Contains("Taking over the lock of run run-A"));
    }

    [Test]
    public async Task A_released_lease_is_taken_at_once()
    {
        var store = new FakeLeaseStore();
        var released = HeldBy("x", T0);
        released.Spec.HolderIdentity = null;
        store.Put(released);
        await using var handle = await new LeaseLock(_ => store, new ManualClock(T0)).AcquireAsync(Options("run-B"));
        Assert.That(store.Current!.Spec.HolderIdentity, Is.EqualTo("run-B"));
    }

    [Test]
    public void A_conflicting_takeover_rereads_and_sees_the_winner()
    {
        var store = new FakeLeaseStore();
        store.Put(HeldBy("run-A", T0));
        var clock = new ManualClock(T0.AddMinutes(5));
        // Between our read and our write another run takes the expired lease.
        store.BeforeWrite = () => store.Put(HeldBy("run-C", clock.Now));
        var e = Assert.ThrowsAsync<ClusterLockHeldException>(() => new LeaseLock(_ => store, clock).AcquireAsync(Options("run-B")));
        Assert.That(e!.Message, Does.Contain("held by run run-C"));
    }

    [Test]
    public async Task A_conflict_on_create_rereads_and_takes_a_free_lease()
    {
        var store = new FakeLeaseStore();
        var clock = new ManualClock(T0);
        store.BeforeWrite = () =>
        {
            var free = HeldBy("gone", T0);
            free.Spec.HolderIdentity = null;
            store.Put(free);
        };
        await using var handle = await new LeaseLock(_ => store, clock).AcquireAsync(Options("run-B"));
        Assert.That(store.Current!.Spec.HolderIdentity, Is.EqualTo("run-B"));
    }

    [Test]
    public async Task Renewal_moves_the_expiry_with_the_clock()
    {
        var store = new FakeLeaseStore();
        var clock = new ManualClock(T0);
        await using var handle = await new LeaseLock(_ => store, clock).AcquireAsync(Options("run-1"));
        clock.Now = T0.AddSeconds(40);
        await handle.RenewAsync();
        Assert.That(handle.ExpiresAt, Is.EqualTo(T0.AddSeconds(160)));
        Assert.That(store.Current!.Spec.AcquireTime, Is.EqualTo(T0.UtcDateTime), "acquireTime stays");
        Assert.That(handle.Renewals, Is.EqualTo(1));
    }

    [Test]
    public async Task A_lost_lease_is_reported_and_not_released()
    {
        var store = new FakeLeaseStore();
        var clock = new ManualClock(T0);
        var handle = await new LeaseLock(_ => store, clock).AcquireAsync(Options("run-1"));
        store.Put(HeldBy("run-2", T0.AddMinutes(3)));
        Assert.ThrowsAsync<ClusterLockHeldException>(() => handle.RenewAsync());
        Assert.That(handle.Lost, Is.True);
        Assert.That(handle.LostToken.IsCancellationRequested, Is.True);
        await handle.DisposeAsync();
        Assert.That(store.Current!.Spec.HolderIdentity, Is.EqualTo("run-2"), "release leaves someone else's lease alone");
    }

    [Test]
    public async Task Renews_in_the_background_while_held()
    {
        var store = new FakeLeaseStore();
        var options = new LeaseLockOptions("ops", "lock", "run-1", TimeSpan.FromMinutes(2), RenewEvery: TimeSpan.FromMilliseconds(20));
        var handle = await new LeaseLock(_ => store, TimeProvider.System).AcquireAsync(options);
        try
        {
            await Eventually.UntilAsync(() => handle.Renewals >= 2, "the lease is renewed twice", TimeSpan.FromSeconds(30));
            Assert.That(store.Current!.Spec.HolderIdentity, Is.EqualTo("run-1"));
        }
        finally
        {
            await handle.DisposeAsync();
        }
        var renewalsAtRelease = handle.Renewals;
        Assert.That(store.Current!.Spec.HolderIdentity, Is.Null);
        Assert.That(handle.Renewals, Is.EqualTo(renewalsAtRelease), "no renewal after release");
    }

    [Test]
    public void Rules_treat_a_lease_without_expiry_as_expired()
    {
        var lease = HeldBy("run-A", T0);
        lease.Spec.LeaseDurationSeconds = null;
        Assert.That(LeaseRules.Decide(lease, "run-B", T0), Is.EqualTo(LeaseDecision.TakeOver));
        Assert.That(LeaseRules.Decide(HeldBy("run-A", T0), "run-A", T0), Is.EqualTo(LeaseDecision.Renew));
        Assert.That(LeaseRules.Decide(null, "run-A", T0), Is.EqualTo(LeaseDecision.Create));
        Assert.That(LeaseRules.Decide(HeldBy("run-A", T0), "run-B", T0.AddSeconds(120)), Is.EqualTo(LeaseDecision.TakeOver), "expiry is exclusive");
    }

    [Test]
    public void Rules_take_over_an_unexpired_lease_only_from_a_holder_known_to_be_gone()
    {
        var held = HeldBy("run-A", T0);
        Assert.That(LeaseRules.Decide(held, "run-B", T0, isAbandoned: h => h == "run-A"), Is.EqualTo(LeaseDecision.TakeOver));
        Assert.That(LeaseRules.Decide(held, "run-B", T0, isAbandoned: _ => false), Is.EqualTo(LeaseDecision.Held));
        Assert.That(LeaseRules.Decide(held, "run-A", T0, isAbandoned: _ => true), Is.EqualTo(LeaseDecision.Renew), "a holder never judges itself gone");
    }
}

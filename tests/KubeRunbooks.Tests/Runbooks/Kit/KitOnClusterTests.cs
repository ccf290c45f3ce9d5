using k8s;
using KubeRunbooks.Kubernetes.Annotations;
using KubeRunbooks.Kubernetes.Jobs;
using KubeRunbooks.Kubernetes.Workloads;
using KubeRunbooks.Runbooks.Downtime;
using KubeRunbooks.Runbooks.Jobs;
using KubeRunbooks.Runbooks.Ledger;
using KubeRunbooks.Tests.Support;

namespace KubeRunbooks.Tests.Runbooks.Kit;

/// <summary>
/// The kit's cluster capabilities (ledger, downtime window, Job once) with the real client against one simulated
/// Vantiq install. Each test leaves the workloads as it found them.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class KitOnClusterTests
{
    private static readonly WorkloadRef Server = WorkloadRef.StatefulSet("vantiq", "vantiq");
    private static readonly WorkloadRef[] Group = [Server, WorkloadRef.StatefulSet("vantiq", "metrics-collector"), WorkloadRef.StatefulSet("vantiq", "vision-analytics")];
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    private TestCluster _cluster = null!;
    private k8s.Kubernetes _client = null!;
    private WorkloadOperations _workloads = null!;
    private AnnotationStore _notes = null!;
    private OperationLedger _ledger = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _cluster = await TestCluster.OfScenario("vantiq").WithReadinessDelay(TimeSpan.Zero).StartAsync("kit");
        _client = _cluster.Client;
        _workloads = new WorkloadOperations(_client);
        _notes = new AnnotationStore(_workloads);
        _ledger = new OperationLedger(_notes, Server);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_cluster != null) await _cluster.DisposeAsync();
    }

    [Test]
    public async Task The_ledger_is_opened_updated_read_back_and_finished_on_the_anchor()
    {
        var started = DateTimeOffset.UtcNow;
        await _ledger.OpenAsync(new OperationRecord { Target = "T", Run = "r", StartedAt = started, Inputs = new Dictionary<string, string> { ["to"] = "2" } });
        await _ledger.TakeAsync("backupId", "b-1");
        await _ledger.MarkAsync("stoppedAt", started.AddSeconds(5));

        var read = await _ledger.ReadAsync();
        var fromState = OperationLedger.From((await _workloads.GetAsync(Server)).Annotations, Server);
        await _ledger.FinishAsync();

        Assert.Multiple(async () =>
        {
            Assert.That(read!.Input("to"), Is.EqualTo("2"));
            Assert.That(read.TakenOf("backupId"), Is.EqualTo("b-1"));
            Assert.That(read.Mark("stoppedAt"), Is.EqualTo(started.AddSeconds(5)));
            Assert.That(fromState!.ToJson(), Is.EqualTo(read.ToJson()));
            Assert.That(await _ledger.ReadAsync(), Is.Null, "finished: no record left");
            Assert.That(await _ledger.TakeAsync("x", "y"), Is.Null, "nothing is updated once finished");
        });
    }

    [Test]
    public async Task The_downtime_window_stops_the_group_and_brings_back_the_recorded_replicas()
    {
        var window = Window();
        await _ledger.OpenAsync(new OperationRecord { Target = "T", Run = "r", StartedAt = DateTimeOffset.UtcNow });

        var recorded = await window.RecordAsync();
        await window.StopAsync();
        var stopped = await Task.WhenAll(Group.Select(w => _workloads.GetAsync(w)));
        var length = await window.EndAsync();
        var back = await window.BringBackAsync();
        await _ledger.FinishAsync();

        Assert.Multiple(async () =>
        {
            Assert.That(DowntimeWindow.Describe(recorded), Is.EqualTo("vantiq 3, metrics-collector 1, vision-analytics 2"));
            Assert.That(stopped.Select(s => (s.DesiredReplicas, s.StatusReplicas)), Is.All.EqualTo((0, 0)), "every pod gone");
            Assert.That(length, Is.Not.Null.And.GreaterThanOrEqualTo(TimeSpan.Zero), "the downtime runs from the recorded stop");
            Assert.That(back, Is.EqualTo(recorded));
            foreach (var w in Group)
            {
                var state = await _workloads.GetAsync(w);
                Assert.That(state.ReadyReplicas, Is.EqualTo(recorded.Single(r => r.Workload == w).Replicas), $"{w} ready again");
                Assert.That(state.Annotations.Keys, Does.Not.Contain(AnnotationStore.OriginalReplicas), $"{w}: the record is removed once back");
            }
        });
    }

    [Test]
    public async Task A_failed_step_inside_the_window_brings_the_group_back_and_undoes_the_operation()
    {
        var window = Window();
        await _ledger.OpenAsync(new OperationRecord { Target = "T", Run = "r", StartedAt = DateTimeOffset.UtcNow });
        await window.RecordAsync();
        await window.StopAsync();
        var announced = new List<string>();

        var thrown = Assert.ThrowsAsync<ApplicationException>(() => window.BringBackOnFailureAsync<int, TimeoutException>(
            () => throw new TimeoutException("the backup hung"),
            failure => announced.Add(failure.Message),
            (failure, restored) => new ApplicationException($"{failure.Message}; back at {DowntimeWindow.Describe(restored)}")))!;

        Assert.Multiple(async () =>
        {
            Assert.That(thrown.Message, Is.EqualTo("the backup hung; back at vantiq 3, metrics-collector 1, vision-analytics 2"));
            Assert.That(announced, Is.EqualTo(new[] { "the backup hung" }));
            Assert.That((await _workloads.GetAsync(Server)).ReadyReplicas, Is.EqualTo(3));
            Assert.That(await _ledger.ReadAsync(), Is.Null, "the operation is undone");
        });
    }

    [Test]
    public async Task Another_failure_inside_the_window_is_not_caught_and_leaves_the_group_stopped_for_the_rerun()
    {
        var window = Window();
        await window.RecordAsync();
        await window.StopAsync();

        Assert.ThrowsAsync<InvalidOperationException>(() => window.BringBackOnFailureAsync<int, TimeoutException>(
            () => throw new InvalidOperationException("not this kind"), _ => { }, (f, _) => f));

        Assert.That((await _workloads.GetAsync(Server)).DesiredReplicas, Is.EqualTo(0));
        await window.BringBackAsync();
    }

    [Test]
    public async Task A_Job_runs_once_per_operation_and_a_rerun_follows_the_recorded_one()
    {
        var jobs = new JobRunner(_client);
        var once = new JobOnce(jobs);
        var cronJob = await jobs.ReadCronJobAsync("vantiq", "mongobackup");
        var recordedNames = new List<string>();
        var reused = new List<string>();
        var name = JobTemplates.JobName("mongobackup", DateTimeOffset.UtcNow, "kit");
        var before = (await _client.BatchV1.ListNamespacedJobAsync("vantiq")).Items.Count;

        var (first, firstReused) = await once.RunAsync("vantiq", null, name, n => Task.FromResult(JobTemplates.FromCronJob(cronJob, n)),
            n => { recordedNames.Add(n); return Task.CompletedTask; }, _ => { }, Wait);
        var (second, secondReused) = await once.RunAsync("vantiq", recordedNames.Single(), name + "-second", n => Task.FromResult(JobTemplates.FromCronJob(cronJob, n)),
            n => { recordedNames.Add(n); return Task.CompletedTask; }, _ => { }, Wait, onReuse: reused.Add);
        var created = await _client.BatchV1.ReadNamespacedJobAsync(name, "vantiq");

        Assert.Multiple(async () =>
        {
            Assert.That((first.JobName, firstReused), Is.EqualTo((name, false)));
            Assert.That((second.JobName, secondReused), Is.EqualTo((name, true)), "the rerun follows the recorded Job");
            Assert.That(recordedNames, Is.EqualTo(new[] { name }), "the name was recorded once, before the Job was created");
            Assert.That(reused, Is.EqualTo(new[] { name }));
            Assert.That((await _client.BatchV1.ListNamespacedJobAsync("vantiq")).Items.Count, Is.EqualTo(before + 1), "one Job, not two");
            Assert.That(CronJobRuns.IsCompletedRunOf(created, "mongobackup"), Is.True, "a completed run of the CronJob");
        });
    }

    private DowntimeWindow Window() =>
        new(new WorkloadGroup(_workloads, _notes), Group, _ => 1, Wait, _ledger);
}

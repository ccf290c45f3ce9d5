using KubeRunbooks.Simulator.State;
using KubeRunbooks.Simulator.Store;
using static KubeRunbooks.Tests.Simulator.State.StateObjects;

namespace KubeRunbooks.Tests.Simulator.State;

[TestFixture]
public sealed class CrashAndLockTests
{
    private static readonly TimeSpan ShortWait = TimeSpan.FromMilliseconds(300);
    private string _folder = "";

    [SetUp]
    public void CreateFolder() => _folder = NewFolder();

    [TearDown]
    public void RemoveFolder() => DeleteFolder(_folder);

    [Test]
    public void A_run_killed_with_sigkill_in_the_middle_of_writes_leaves_a_loadable_state_losing_at_most_the_write_in_flight()
    {
        var reported = -1;
        for (var round = 0; round < 3; round++)
        {
            using var child = StateWriterChild.Start(_folder);
            try
            {
                // A different number of writes per round so the kill lands at different points.
                reported = StateWriterChild.WaitForWrites(child, 15 + 11 * round);
            }
            finally
            {
                child.Kill(); // SIGKILL on Linux: no finalizer, no flush, no unlock by the process.
                child.WaitForExit();
            }

            using var state = LocalClusterState.Open(_folder, TimeSpan.FromSeconds(30));
            var store = state.LoadOrSeed(_ => Assert.Fail("the killed run's state must load, not be re-seeded"));
            var names = store.List(ResourceCatalog.ConfigMaps, "default").Items.Select(c => (string)c["metadata"]!["name"]!).ToList();

            // Every write the child reported is there, and the writes form an unbroken prefix.
            Assert.That(names, Has.Count.GreaterThan(reported));
            Assert.That(names, Is.EqualTo(Enumerable.Range(0, names.Count).Select(i => $"cm-{i:D6}")));
            Assert.That((string?)store.Get(ResourceCatalog.ConfigMaps, "default", $"cm-{reported - 1:D6}")["data"]!["updated"], Is.EqualTo("yes"));
        }
    }

    [TestCase("HalfWritten", 7, TestName = "A SIGKILL with the temporary file half written loses only that write")]
    [TestCase("Synced", 12, TestName = "A SIGKILL after fsync but before the rename loses only that write")]
    public void A_sigkill_at_a_known_point_of_a_write_loses_only_that_write(string stage, int write)
    {
        long inFlight;
        using (var child = StateWriterChild.Start(_folder, $"{stage}:{write}"))
        {
            try
            {
                inFlight = StateWriterChild.WaitForStall(child);
            }
            finally
            {
                child.Kill();
                child.WaitForExit();
            }
        }

        Assert.That(File.Exists(Path.Combine(_folder, StateFile.FileName + ".tmp")), Is.True, "the killed write left its temporary file");
        using var state = LocalClusterState.Open(_folder, TimeSpan.FromSeconds(30));
        var store = state.LoadOrSeed(_ => Assert.Fail("the killed run's state must load, not be re-seeded"));

        Assert.That(store.CurrentVersion, Is.EqualTo(inFlight - 1));
    }

    [Test]
    public void A_second_opener_in_this_process_waits_then_fails_with_the_in_use_line()
    {
        using var first = LocalClusterState.Open(_folder, ShortWait);
        first.LoadOrSeed(SeedScenario);

        var error = Assert.Throws<LocalClusterInUseException>(() => LocalClusterState.Open(_folder, ShortWait));

        Assert.Multiple(() =>
        {
            Assert.That(error!.Message, Does.StartWith("Another run holds the local cluster"));
            Assert.That(error.Message, Does.Contain(_folder).And.Not.Contain("\n"));
            Assert.That(error.Folder, Is.EqualTo(Path.GetFullPath(_folder)));
        });
    }

    [Test]
    public void After_the_first_releases_the_second_opener_succeeds()
    {
        var first = LocalClusterState.Open(_folder, ShortWait);
        first.LoadOrSeed(SeedScenario).Create(ResourceCatalog.ConfigMaps, "default", ConfigMap("by-first", "x"));
        Assert.Throws<LocalClusterInUseException>(() => LocalClusterState.Open(_folder, ShortWait));
        first.Dispose();

        using var second = LocalClusterState.Open(_folder, ShortWait);

        Assert.That(second.LoadOrSeed(SeedScenario).TryGet(ResourceCatalog.ConfigMaps, "default", "by-first"), Is.Not.Null);
    }

    [Test]
    public void A_waiting_opener_gets_the_folder_when_the_holder_releases_it()
    {
        var first = LocalClusterState.Open(_folder, ShortWait);
        first.LoadOrSeed(SeedScenario);
        using var started = new ManualResetEventSlim();
        var waiting = Task.Run(() =>
        {
            started.Set();
            return LocalClusterState.Open(_folder, TimeSpan.FromMinutes(2));
        });
        started.Wait();
        first.Dispose();

        using var second = waiting.GetAwaiter().GetResult();

        Assert.That(second.LoadOrSeed(SeedScenario).TryGet(ResourceCatalog.ConfigMaps, "default", "scenario"), Is.Not.Null);
    }

    [Test]
    public void Another_process_holding_the_folder_blocks_us_until_it_is_killed()
    {
        using var child = StateWriterChild.Start(_folder);
        try
        {
            StateWriterChild.WaitForWrites(child, 1);
            var error = Assert.Throws<LocalClusterInUseException>(() => LocalClusterState.Open(_folder, ShortWait));
            Assert.That(error!.Message, Does.StartWith("Another run holds the local cluster"));
        }
        finally
        {
            child.Kill();
            child.WaitForExit();
        }

        // The OS dropped the dead process's lock: nothing to clean up by hand.
        using var state = LocalClusterState.Open(_folder, TimeSpan.FromSeconds(30));
        Assert.That(state.LoadOrSeed(SeedScenario).TryGet(ResourceCatalog.ConfigMaps, "default", "cm-000000"), Is.Not.Null);
    }

    [Test]
    public void The_losing_opener_changes_nothing()
    {
        using var first = LocalClusterState.Open(_folder, ShortWait);
        first.LoadOrSeed(SeedScenario);
        var before = File.ReadAllBytes(first.StateFilePath);

        Assert.Throws<LocalClusterInUseException>(() => LocalClusterState.Open(_folder, ShortWait));

        Assert.That(File.ReadAllBytes(first.StateFilePath), Is.EqualTo(before));
    }
}

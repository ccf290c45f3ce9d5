using System.Globalization;
using System.Text.Json.Nodes;
using KubeRunbooks.Simulator.Store;

namespace KubeRunbooks.Simulator.State;

/// <summary>
/// The state folder of the embedded <c>local</c> cluster, held exclusively for the life of this object:
/// <list type="bullet">
/// <item><c>cluster.lock</c>: the lock file (see <see cref="StateFolderLock"/>);</item>
/// <item><c>cluster.json</c>: the store's objects and resourceVersion counter (see <see cref="StateFile"/>),
/// rewritten after every accepted mutation of a store this object handed out;</item>
/// <item><c>runtime/</c>: the cluster's root folder (<c>SimulatedClusterOptions.RootFolder</c>: kubeconfig, audit
/// log, the runtime's <c>pvc/NS/CLAIM</c> data and pod folders); kept across runs, wiped by <see cref="Reset"/>.</item>
/// </list>
/// Only the store returned last is persisted, and only while this object is open: after <see cref="Dispose"/>
/// (or a later load or reset) an earlier store's changes stay in memory.
/// </summary>
public sealed class LocalClusterState : IDisposable
{
    /// <summary>The runtime root folder's name inside the state folder.</summary>
    public const string RuntimeFolderName = "runtime";

    private readonly object _gate = new();
    private readonly StateFolderLock _lock;
    private readonly List<ObjectStore> _attached = new();
    private bool _closed;

    private LocalClusterState(string folder, StateFolderLock folderLock)
    {
        Folder = folder;
        _lock = folderLock;
    }

    /// <summary>The state folder (absolute).</summary>
    public string Folder { get; }

    /// <summary>The state file.</summary>
    public string StateFilePath => Path.Combine(Folder, StateFile.FileName);

    /// <summary>The folder to give the cluster as <c>SimulatedClusterOptions.RootFolder</c>: PVC and pod folders live below it.</summary>
    public string RuntimeFolder => Path.Combine(Folder, RuntimeFolderName);

    /// <summary>True when a state file exists (a previous run left a cluster, readable or not).</summary>
    public bool HasState => File.Exists(StateFilePath);

    /// <summary>
    /// Opens (creating it when missing) and locks the state folder, waiting up to <paramref name="lockWait"/> for
    /// another run to release it.
    /// </summary>
    /// <exception cref="LocalClusterInUseException">Another run still holds the folder after the wait.</exception>
    public static LocalClusterState Open(string folder, TimeSpan lockWait, CancellationToken cancellation = default)
    {
        var full = Path.GetFullPath(folder);
        return new LocalClusterState(full, StateFolderLock.Acquire(full, lockWait, cancellation));
    }

    /// <summary>
    /// The pods (<c>NS/NAME</c>) that were Ready when the previous run ended, as <see cref="LoadOrSeed"/> found them;
    /// empty after a seed or a reset.
    /// </summary>
    public IReadOnlyList<string> ReadyBeforeRestart { get; private set; } = [];

    /// <summary>
    /// Loads the cluster the previous run left, applies <see cref="NodeRestart"/> (pods not finished go back to
    /// Pending so the pod controller starts them again) and returns the store, persisted from now on.
    /// When there is no state yet (first run on this machine), seeds it as <see cref="Reset"/> does.
    /// </summary>
    /// <param name="seed">Creates the initial objects (e.g. the default scenario) in an empty store.</param>
    /// <param name="historyLimit">The store's watch history size.</param>
    /// <exception cref="StateFileCorruptException">The state file is unusable; the message names ResetLocalCluster.</exception>
    public ObjectStore LoadOrSeed(Action<ObjectStore> seed, int historyLimit = 10_000)
    {
        ThrowIfClosed();
        StrayContainers.KillUnder(RuntimeFolder);
        var snapshot = StateFile.Read(StateFilePath);
        if (snapshot == null) return Reset(seed, historyLimit);
        ObjectStore store;
        try
        {
            store = new ObjectStore(snapshot, historyLimit);
        }
        catch (InvalidDataException e)
        {
            throw new StateFileCorruptException(StateFilePath, e.Message, e);
        }
        Attach(store);
        ReadyBeforeRestart = NodeRestart.ReadyPods(store);
        NodeRestart.Apply(store, DateTimeOffset.UtcNow);
        return store;
    }

    /// <summary>
    /// Puts an initial state back: wipes <see cref="RuntimeFolder"/> (PVC and pod folders), seeds an empty store
    /// with <paramref name="seed"/>, writes it, and returns it, persisted from now on. The resourceVersions
    /// continue above the previous state's counter when that state is readable, so they never go backwards.
    /// Works on a corrupt state file too: that is how a user recovers from one.
    /// </summary>
    public ObjectStore Reset(Action<ObjectStore> seed, int historyLimit = 10_000)
    {
        ThrowIfClosed();
        var previousVersion = PreviousVersion();
        StrayContainers.KillUnder(RuntimeFolder);
        if (Directory.Exists(RuntimeFolder)) Directory.Delete(RuntimeFolder, recursive: true);
        Directory.CreateDirectory(RuntimeFolder);

        var fresh = new ObjectStore(historyLimit);
        seed(fresh);
        var snapshot = Rebase(fresh.Snapshot(), previousVersion);
        StateFile.Write(StateFilePath, snapshot);
        var store = new ObjectStore(snapshot, historyLimit);
        Attach(store);
        return store;
    }

    /// <summary>Stops persisting the stores handed out and releases the folder's lock.</summary>
    public void Dispose()
    {
        StopPersisting();
        lock (_gate)
        {
            if (_closed) return;
            _closed = true;
        }
        _lock.Dispose();
    }

    /// <summary>
    /// Stops writing the stores' changes, keeping the folder locked: called when a run ends and before its containers
    /// are stopped, so the state kept is the cluster as the run left it (pods ready), not the teardown (pods killed).
    /// </summary>
    public void StopPersisting()
    {
        lock (_gate)
        {
            foreach (var store in _attached) store.AfterMutation = null;
            _attached.Clear();
        }
    }

    private void Attach(ObjectStore store)
    {
        lock (_gate)
        {
            ThrowIfClosed();
            // One live store per folder: a store handed out earlier must not overwrite a reset or reload.
            foreach (var previous in _attached) previous.AfterMutation = null;
            _attached.Clear();
            _attached.Add(store);
            store.AfterMutation = _ => Persist(store);
        }
    }

    // Runs under the store's lock, so snapshots are written in mutation order and never interleave.
    private void Persist(ObjectStore store)
    {
        lock (_gate)
        {
            if (_closed || !_attached.Contains(store)) return;
            StateFile.Write(StateFilePath, store.Snapshot());
        }
    }

    private long PreviousVersion()
    {
        try
        {
            return StateFile.Read(StateFilePath)?.ResourceVersion ?? 0;
        }
        catch (StateFileCorruptException)
        {
            return 0; // Unreadable: nothing to continue from.
        }
    }

    // Shifts every resourceVersion by the previous counter so that clients never see versions go backwards.
    private static StoreSnapshot Rebase(StoreSnapshot snapshot, long offset)
    {
        if (offset == 0) return snapshot;
        foreach (var obj in snapshot.Objects)
        {
            if (obj["metadata"] is JsonObject meta)
            {
                meta["resourceVersion"] = (ObjectStore.ParseVersion(obj) + offset).ToString(CultureInfo.InvariantCulture);
            }
        }
        return snapshot with { ResourceVersion = snapshot.ResourceVersion + offset };
    }

    private void ThrowIfClosed()
    {
        if (_closed) throw new ObjectDisposedException(nameof(LocalClusterState), "The local cluster state folder is closed.");
    }
}

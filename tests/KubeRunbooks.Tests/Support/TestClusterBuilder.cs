using KubeRunbooks.Simulator.Faults;
using KubeRunbooks.Simulator.Runtime;
using KubeRunbooks.Simulator.Scenarios;
using KubeRunbooks.Simulator.Server;

namespace KubeRunbooks.Tests.Support;

/// <summary>
/// The tests' one way to start a simulated cluster: a scenario (a repository scenario, a file, or YAML of the test's
/// own), its faults (the scenario's, plus <see cref="WithFaults"/>), and the process runtime that runs its pods, with
/// the short readiness delay and restart back-off tests want. <c>TestCluster.OfScenario("vantiq").StartAsync("vq")</c>.
/// Without a scenario (<see cref="TestCluster.ApiOnly"/>) the cluster is the API server alone: no controllers and no
/// runtime, so the objects a test creates stay exactly as written (the API's own tests). With a runtime of the test's
/// own (<see cref="TestCluster.OfRuntime"/>) the API server serves that runtime's logs and exec, and the test starts
/// pods itself (<see cref="TestCluster.RunPodAsync"/>): the runtime's own tests, with no controller in between.
/// </summary>
public sealed class TestClusterBuilder
{
    private readonly Func<Scenario>? _scenario;
    private readonly string? _scenarioYaml;
    private readonly List<Action<FaultPlan>> _faults = [];
    private readonly IPodRuntime? _runtime;
    private bool _controllers;
    private KubeRunbooks.Simulator.Authorization.IAuthorizer? _authorizer;
    private TimeSpan _bookmarkInterval = TimeSpan.FromSeconds(10);
    private ScenarioClusterSettings _settings = new() { ReadinessDelay = TimeSpan.FromMilliseconds(50), RestartBackOff = TimeSpan.FromMilliseconds(200) };

    internal TestClusterBuilder(Func<Scenario> scenario) => _scenario = scenario;

    internal TestClusterBuilder(string scenarioYaml) => _scenarioYaml = scenarioYaml;

    internal TestClusterBuilder(IPodRuntime? runtime = null) => _runtime = runtime;

    /// <summary>
    /// Runs the controllers on an API-only cluster (<see cref="TestCluster.ApiOnly"/>): with no runtime, containers are
    /// simulated (pods run and become ready, Jobs complete, with no process).
    /// </summary>
    public TestClusterBuilder WithControllers()
    {
        _controllers = true;
        return this;
    }

    /// <summary>Decides access reviews (<c>kubectl auth can-i</c>) with <paramref name="authorizer"/> (API-only clusters).</summary>
    public TestClusterBuilder WithAuthorizer(KubeRunbooks.Simulator.Authorization.IAuthorizer authorizer)
    {
        _authorizer = authorizer ?? throw new ArgumentNullException(nameof(authorizer));
        return this;
    }

    /// <summary>How often an idle watch that asked for bookmarks gets one (10 s unless set; API-only clusters).</summary>
    public TestClusterBuilder WithWatchBookmarks(TimeSpan interval)
    {
        _bookmarkInterval = interval;
        return this;
    }

    /// <summary>Pods become Ready this long after their containers run (50 ms unless set).</summary>
    public TestClusterBuilder WithReadinessDelay(TimeSpan delay)
    {
        _settings = _settings with { ReadinessDelay = delay };
        return this;
    }

    /// <summary>The first CrashLoopBackOff delay (200 ms unless set).</summary>
    public TestClusterBuilder WithRestartBackOff(TimeSpan backOff)
    {
        _settings = _settings with { RestartBackOff = backOff };
        return this;
    }

    /// <summary>Enforces RBAC for service-account tokens when <paramref name="enforce"/> is true.</summary>
    public TestClusterBuilder WithRbac(bool enforce = true)
    {
        _settings = _settings with { EnforceRbac = enforce };
        return this;
    }

    /// <summary>
    /// Adds faults to the scenario's own as soon as the cluster runs (a pod never ready, a failing Job, ...): they apply
    /// to what the test creates next; a fault for the scenario's own objects belongs in its <c>faults:</c>.
    /// </summary>
    public TestClusterBuilder WithFaults(Action<FaultPlan> faults)
    {
        ArgumentNullException.ThrowIfNull(faults);
        _faults.Add(faults);
        return this;
    }

    /// <summary>Starts the cluster in a new temporary folder named after <paramref name="prefix"/>.</summary>
    public async Task<TestCluster> StartAsync(string prefix)
    {
        var root = Path.Combine(Path.GetTempPath(), $"kr-{prefix}-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(root);
        var folder = Path.Combine(root, "cluster");
        var cluster = _scenario is null && _scenarioYaml is null
            ? await SimulatedCluster.StartAsync(new SimulatedClusterOptions
            {
                RootFolder = folder, Runtime = _runtime, WatchBookmarkInterval = _bookmarkInterval, EnforceRbac = _settings.EnforceRbac, Authorizer = _authorizer,
                Controllers = _controllers ? SimulatedClusterBuilder.Controllers(_settings.ReadinessDelay ?? TimeSpan.Zero, _settings.RestartBackOff) : [],
            })
            : await SimulatedClusterBuilder.StartAsync(_scenario?.Invoke() ?? await LoadYamlAsync(root, _scenarioYaml!), folder, _settings);
        foreach (var fault in _faults) fault(cluster.Faults);
        return new TestCluster(root, cluster, _runtime);
    }

    private static async Task<Scenario> LoadYamlAsync(string root, string yaml)
    {
        var file = Path.Combine(root, "scenario.yaml");
        await File.WriteAllTextAsync(file, yaml);
        return Scenario.Load(file);
    }
}

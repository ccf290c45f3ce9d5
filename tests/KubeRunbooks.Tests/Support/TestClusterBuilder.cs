using KubeRunbooks.Simulator.Faults;
using KubeRunbooks.Simulator.Scenarios;

namespace KubeRunbooks.Tests.Support;

/// <summary>
/// The tests' one way to start a simulated cluster: a scenario (a repository scenario, a file, or YAML of the test's
/// own), its faults (the scenario's, plus <see cref="WithFaults"/>), and the process runtime that runs its pods, with
/// the short readiness delay and restart back-off tests want. <c>TestCluster.OfScenario("vantiq").StartAsync("vq")</c>.
/// </summary>
public sealed class TestClusterBuilder
{
    private readonly Func<Scenario>? _scenario;
    private readonly string? _scenarioYaml;
    private readonly List<Action<FaultPlan>> _faults = [];
    private ScenarioClusterSettings _settings = new() { ReadinessDelay = TimeSpan.FromMilliseconds(50), RestartBackOff = TimeSpan.FromMilliseconds(200) };

    internal TestClusterBuilder(Func<Scenario> scenario) => _scenario = scenario;

    internal TestClusterBuilder(string scenarioYaml) => _scenarioYaml = scenarioYaml;

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
        var scenario = _scenario?.Invoke() ?? await LoadYamlAsync(root, _scenarioYaml!);
        var cluster = await SimulatedClusterBuilder.StartAsync(scenario, Path.Combine(root, "cluster"), _settings);
        foreach (var fault in _faults) fault(cluster.Faults);
        return new TestCluster(root, cluster);
    }

    private static async Task<Scenario> LoadYamlAsync(string root, string yaml)
    {
        var file = Path.Combine(root, "scenario.yaml");
        await File.WriteAllTextAsync(file, yaml);
        return Scenario.Load(file);
    }
}

namespace KubeRunbooks.Simulator.Scenarios;

/// <summary>A scenario that cannot be found or read; the message is one line naming the file and the fault.</summary>
public sealed class ScenarioException(string message) : Exception(message);

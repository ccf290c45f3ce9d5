using System.Text.Json.Nodes;

namespace KubeRunbooks.Simulator.Discovery;

/// <summary>The /version document: the simulated cluster presents itself as Kubernetes 1.32 (kubectl 1.32's own version, so no skew warning).</summary>
internal static class VersionInfo
{
    /// <summary>The gitVersion reported.</summary>
    public const string GitVersion = "v1.32.0";

    /// <summary>The /version answer.</summary>
    public static JsonObject Document() => new()
    {
        ["major"] = "1",
        ["minor"] = "32",
        ["gitVersion"] = GitVersion,
        ["gitCommit"] = "0000000000000000000000000000000000000000",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "2024-12-11T00:00:00Z",
        ["goVersion"] = "go1.23.3",
        ["compiler"] = "gc",
        ["platform"] = "linux/amd64",
    };
}

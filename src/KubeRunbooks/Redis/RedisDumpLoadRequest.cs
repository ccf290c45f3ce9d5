using KubeRunbooks.Kubernetes.Workloads;

namespace KubeRunbooks.Redis;

/// <summary>What <see cref="RedisDumpLoad"/> loads where.</summary>
/// <param name="Workload">The Redis workload (rolled out three times).</param>
/// <param name="PodSelector">The label selector of its pods (e.g. <c>deploymentConfig=NAME</c>).</param>
/// <param name="ConfigMap">The ConfigMap holding its configuration file (in the workload's namespace).</param>
/// <param name="ConfigKey">The key of the configuration file in it (e.g. <c>redis.conf</c>).</param>
/// <param name="DataFolder">The Redis data folder in the container (where <c>dump.rdb</c> is).</param>
/// <param name="DumpFile">The local dump to load (a whole RDB file).</param>
/// <param name="AsideSuffix">Appended to the names of the files moved aside (e.g. <c>-old-20261206-093000</c>): they are kept.</param>
public sealed record RedisDumpLoadRequest(WorkloadRef Workload, string PodSelector, string ConfigMap, string ConfigKey, string DataFolder, string DumpFile, string AsideSuffix)
{
    /// <summary>The password, or null; it travels on stdin into <c>REDISCLI_AUTH</c>, never in argv.</summary>
    public string? Password { get; init; }

    /// <summary>The files of the data folder moved aside before the dump is copied in (Redis 7 keeps its AOF in <c>appendonlydir</c>).</summary>
    public IReadOnlyList<string> MovedFiles { get; init; } = ["dump.rdb", "appendonly.aof", "appendonlydir"];
}

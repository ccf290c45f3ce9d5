namespace KubeRunbooks.Redis;

/// <summary>A dump loaded into a Redis workload.</summary>
/// <param name="MovedAside">The files of the data folder moved aside and kept (their new names, in the data folder).</param>
/// <param name="Keys">The keys Redis holds once it runs again with its own configuration (all databases).</param>
/// <param name="Pod">The pod serving once done.</param>
public sealed record RedisDumpLoadResult(IReadOnlyList<string> MovedAside, long Keys, string Pod);

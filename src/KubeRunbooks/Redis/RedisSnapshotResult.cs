namespace KubeRunbooks.Redis;

/// <summary>A dump taken after a fresh background save.</summary>
/// <param name="RemotePath">The dump file in the pod (<c>CONFIG GET dir</c> / <c>dbfilename</c>).</param>
/// <param name="Bytes">The bytes copied.</param>
/// <param name="LastSaveBefore">LASTSAVE (Unix seconds) before the BGSAVE.</param>
/// <param name="LastSave">LASTSAVE once the BGSAVE finished: the time of the copied dump.</param>
public sealed record RedisSnapshotResult(string RemotePath, long Bytes, long LastSaveBefore, long LastSave);

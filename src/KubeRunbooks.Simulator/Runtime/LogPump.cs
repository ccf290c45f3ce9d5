namespace KubeRunbooks.Simulator.Runtime;

/// <summary>Splits a process's output stream into log lines (long lines are split at 16 KiB, as the kubelet does).</summary>
internal static class LogPump
{
    private const int MaxLine = 16 * 1024;

    /// <summary>Reads the stream to its end, appending each line to the log.</summary>
    public static async Task PumpAsync(Stream stream, ContainerLog log)
    {
        var buffer = new byte[MaxLine];
        using var partial = new MemoryStream();
        int read;
        while ((read = await stream.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            var start = 0;
            while (start < read)
            {
                var newline = Array.IndexOf(buffer, (byte)'\n', start, read - start);
                if (newline < 0)
                {
                    partial.Write(buffer, start, read - start);
                    break;
                }
                partial.Write(buffer, start, newline - start + 1);
                Flush(partial, log);
                start = newline + 1;
            }
            if (partial.Length >= MaxLine) Flush(partial, log);
        }
        if (partial.Length > 0) Flush(partial, log);
    }

    private static void Flush(MemoryStream partial, ContainerLog log)
    {
        log.Append(partial.ToArray(), DateTimeOffset.UtcNow);
        partial.SetLength(0);
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace KubeRunbooks.Simulator.State;

/// <summary>
/// An exclusive lock on a state folder: the lock file opened with <see cref="FileShare.None"/>, which .NET on
/// Linux and macOS turns into <c>flock(LOCK_EX)</c> (a share lock on Windows). The OS releases it when the
/// process dies, even by SIGKILL, so a crashed run never leaves the folder locked.
/// </summary>
public sealed class StateFolderLock : IDisposable
{
    /// <summary>The lock file's name inside the state folder.</summary>
    public const string FileName = "cluster.lock";

    private static readonly TimeSpan RetryInterval = TimeSpan.FromMilliseconds(100);
    private readonly FileStream _handle;

    private StateFolderLock(FileStream handle) => _handle = handle;

    /// <summary>
    /// Takes the lock of <paramref name="folder"/> (created when missing), retrying until <paramref name="wait"/>
    /// has passed.
    /// </summary>
    /// <exception cref="LocalClusterInUseException">Another process (or another holder in this one) keeps the lock.</exception>
    public static StateFolderLock Acquire(string folder, TimeSpan wait, CancellationToken cancellation = default)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, FileName);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            cancellation.ThrowIfCancellationRequested();
            try
            {
                var handle = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                WriteHolder(handle);
                return new StateFolderLock(handle);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Held by someone else: wait and retry until the bound.
                if (clock.Elapsed >= wait) throw new LocalClusterInUseException(folder, wait);
                cancellation.WaitHandle.WaitOne(RetryInterval);
            }
        }
    }

    /// <summary>Releases the lock.</summary>
    public void Dispose() => _handle.Dispose();

    // The holder's pid, for a human who looks at the file; the lock itself is the flock, not this content.
    private static void WriteHolder(FileStream handle)
    {
        handle.SetLength(0);
        handle.Write(Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n"));
        handle.Flush();
    }
}

using System.Diagnostics;
using KubeRunbooks.Simulator.State;
using KubeRunbooks.Simulator.Store;

namespace KubeRunbooks.Tests.Simulator.State;

/// <summary>
/// A child process that writes to a state folder until it is killed: the test assembly run by <c>dotnet</c>
/// with itself as a startup hook (<see cref="StartupHook"/>), so the child runs the real state code without a
/// separate project. It prints <c>wrote N</c> after ConfigMap <c>cm-N</c>'s mutation has returned.
/// </summary>
internal static class StateWriterChild
{
    public const string FolderVariable = "KUBERUNBOOKS_STATE_TEST_WRITER";

    /// <summary>Set to <c>STAGE:N</c> to make the child stop forever at that stage of its N-th state write.</summary>
    public const string StallVariable = "KUBERUNBOOKS_STATE_TEST_STALL";

    // Big enough that a write takes more than one system call, so a kill often lands in the middle of one.
    private static readonly string Payload = new('x', 4 * 1024);

    public static Process Start(string folder, string? stall = null)
    {
        var assembly = typeof(StateWriterChild).Assembly.Location;
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(assembly);
        start.Environment["DOTNET_STARTUP_HOOKS"] = assembly;
        start.Environment[FolderVariable] = folder;
        if (stall != null) start.Environment[StallVariable] = stall;
        return Process.Start(start)!;
    }

    /// <summary>Waits for the child to report <paramref name="count"/> more writes; returns the last N it printed.</summary>
    public static int WaitForWrites(Process child, int count)
    {
        var last = -1;
        for (var seen = 0; seen < count;)
        {
            var line = child.StandardOutput.ReadLine()
                ?? throw new InvalidOperationException("the writer child ended early: " + child.StandardError.ReadToEnd());
            if (!line.StartsWith("wrote ", StringComparison.Ordinal)) continue;
            last = int.Parse(line["wrote ".Length..], System.Globalization.CultureInfo.InvariantCulture);
            seen++;
        }
        return last;
    }

    /// <summary>Waits until the child reports it stopped inside a write; returns the version it was writing.</summary>
    public static long WaitForStall(Process child)
    {
        while (true)
        {
            var line = child.StandardOutput.ReadLine()
                ?? throw new InvalidOperationException("the writer child ended early: " + child.StandardError.ReadToEnd());
            if (line.StartsWith("stalled ", StringComparison.Ordinal)) return long.Parse(line["stalled ".Length..], System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    public static void Run(string folder)
    {
        StallWhenAsked();
        using var state = LocalClusterState.Open(folder, TimeSpan.FromMinutes(1));
        var store = state.LoadOrSeed(_ => { });
        var next = store.List(ResourceCatalog.ConfigMaps, "default").Items.Count;
        Console.Out.Flush();
        for (var i = next; ; i++)
        {
            store.Create(ResourceCatalog.ConfigMaps, "default", StateObjects.ConfigMap($"cm-{i:D6}", Payload));
            // A second mutation of an older object, so kills also land in updates.
            if (i > 0) store.Mutate(ResourceCatalog.ConfigMaps, "default", $"cm-{i - 1:D6}", c => { c["data"]!["updated"] = "yes"; return c; });
            Console.WriteLine($"wrote {i}");
            Console.Out.Flush();
        }
    }

    private static void StallWhenAsked()
    {
        var stall = Environment.GetEnvironmentVariable(StallVariable)?.Split(':');
        if (stall is not [var stage, var number]) return;
        var target = (Stage: Enum.Parse<WriteStage>(stage), Count: int.Parse(number, System.Globalization.CultureInfo.InvariantCulture));
        var seen = 0;
        StateFile.WriteStageHook = (reached, version) =>
        {
            if (reached != target.Stage || ++seen != target.Count) return;
            Console.WriteLine($"stalled {version}");
            Console.Out.Flush();
            Thread.Sleep(Timeout.Infinite);
        };
    }
}

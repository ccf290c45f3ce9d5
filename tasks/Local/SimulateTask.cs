using System.Runtime.InteropServices;
using Cake.Core.Diagnostics;
using Cake.Frosting;
using KubeRunbooks.Errors;
using KubeRunbooks.Runbooks;

namespace KubeRunbooks.Tasks.Local;

/// <summary>
/// Serves the simulated cluster standalone until SIGINT or SIGTERM, so that kubectl (or a runbook
/// in another terminal, through a profile naming the kubeconfig) can use it. With <c>--state=PROFILE|FOLDER</c> it
/// serves the cluster kept in that state folder (a simulated profile's, e.g. <c>local</c>) instead of a fresh
/// scenario, so kubectl sees what the runbooks left; the scenario (default: that profile's) then supplies the image
/// stand-ins and faults, and seeds the folder only when it holds no state yet.
/// </summary>
[TaskName("Simulate")]
[TaskDescription("Serves the simulated cluster until Ctrl+C: [--scenario=NAME] [--state=PROFILE|FOLDER] --kubeconfig-out=FILE [--audit-log=FILE] [--port=N]")]
public sealed class SimulateTask(ILocalClusterFactory clusters) : AsyncFrostingTask<RunbookContext>
{
    /// <inheritdoc />
    public override async Task RunAsync(RunbookContext context)
    {
        var port = 0;
        if (context.Argument("port") is { } portText && (!int.TryParse(portText, out port) || port is < 0 or > 65535))
        {
            throw new InvalidInputException($"--port={portText} is not a port number (0 to 65535).");
        }

        var root = Path.GetFullPath(Path.Combine(context.Settings.ArtifactsPath, "simulate", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss")));
        var (state, profileScenario) = context.Argument("state") is { } stateArgument
            ? LocalStateFolder.Resolve(stateArgument, context.Settings, context.Environment.WorkingDirectory.FullPath, context.Products.Sections)
            : (null, null);
        var request = new LocalClusterRequest(context.Argument("scenario") ?? profileScenario ?? "standard", root)
        {
            StateFolder = state,
            KubeconfigPath = FullPathOrNull(context.Argument("kubeconfig-out")) ?? Path.Combine(root, "kubeconfig"),
            AuditLogPath = FullPathOrNull(context.Argument("audit-log")) ?? Path.Combine(root, "audit.jsonl"),
            Port = port,
            LockWait = context.Settings.LocalClusterLockWait,
            Progress = line => context.Log.Information("{0}", line),
        };

        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
        {
            signal.Cancel = true;
            stop.Cancel();
        });

        await using var cluster = await clusters.StartAsync(request, stop.Token);
        context.Journal.RecordFact("kubeconfig", cluster.KubeconfigPath);
        context.Journal.RecordFact("auditLog", cluster.AuditLogPath);
        if (state is not null)
        {
            context.Journal.RecordFact("stateFolder", state);
            context.Log.Information($"Simulated cluster from the state folder {state} (scenario '{request.Scenario}' for a new one) is serving. Stop it with Ctrl+C.");
        }
        else
        {
            context.Log.Information($"Simulated cluster '{request.Scenario}' is serving. Stop it with Ctrl+C.");
        }

        context.Log.Information($"Audit log: {cluster.AuditLogPath}");
        // The last line before serving: scripts wait for it.
        Console.Out.WriteLine($"Kubeconfig: {cluster.KubeconfigPath}");
        Console.Out.Flush();
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
            context.Log.Information("Stopping the simulated cluster.");
        }
    }

    private static string? FullPathOrNull(string? path) => path is null ? null : Path.GetFullPath(path);
}

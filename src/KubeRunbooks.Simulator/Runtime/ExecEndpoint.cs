using System.ComponentModel;
using System.Net.WebSockets;
using KubeRunbooks.Simulator.Faults;
using Microsoft.AspNetCore.Http;

namespace KubeRunbooks.Simulator.Runtime;

/// <summary>
/// pods/NAME/exec: checks the pod, container and command, then upgrades to a WebSocket speaking
/// <c>v5.channel.k8s.io</c> or <c>v4.channel.k8s.io</c> (the first of the client's list it knows) and runs
/// the command inside the container (<see cref="Bubblewrap.ExecArgv"/>; with tty, under a terminal: <see cref="TerminalCommand"/>). Anything else (a SPDY upgrade, a plain request) gets a 400 Status.
/// </summary>
internal static class ExecEndpoint
{
    /// <summary>The channel protocols served, v5 (stdin close) first.</summary>
    public static readonly IReadOnlyList<string> Protocols = [ExecSession.V5, ExecSession.V4];

    /// <summary>Serves the request for the pod (null when the runtime does not know it).</summary>
    public static async Task ServeAsync(HttpContext http, PodState? pod, string podName, ExecRequest request, FaultPlan faults)
    {
        var error = Validate(http, pod, podName, request, out var container, out var protocol);
        if (error is not null)
        {
            await StatusResponses.WriteAsync(http, error).ConfigureAwait(false);
            return;
        }
        var context = pod!.Context(container)!;

        using var socket = await http.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { SubProtocol = protocol })
            .ConfigureAwait(false);
        IReadOnlyList<string> command = request.Command;
        if (request.Tty) command = TerminalCommand.Wrap(command);
        var run = pod.Current(container)!;
        System.Diagnostics.Process process;
        // The main process noted at start may have been bwrap's short-lived helper: look again when it is gone
        // (its pid may name another process by now: the identity check says so).
        if (run.MainPid is not { IsAlive: true } && run.SandboxPid is { } sandboxPid)
            run.MainPid = ProcessLauncher.MainPidOf(sandboxPid);
        if (!context.CanExecute(request.Command[0]) || run.MainPid is not { } main)
        {
            var message = $"exec: \"{request.Command[0]}\": executable file not found in $PATH";
            await ExecSession.SendStatusAndCloseAsync(socket, StatusResponses.ExecStartFailure(message), http.RequestAborted)
                .ConfigureAwait(false);
            return;
        }
        try
        {
            // The command joins the container: its namespaces, root, working directory and user.
            process = ProcessLauncher.Start(Bubblewrap.ExecArgv(main.Pid, context.Identity, command),
                context.Env, "/");
        }
        catch (Win32Exception)
        {
            var message = "exec: nsenter (util-linux) is not installed on the machine that runs the simulated cluster";
            await ExecSession.SendStatusAndCloseAsync(socket, StatusResponses.ExecStartFailure(message), http.RequestAborted)
                .ConfigureAwait(false);
            return;
        }
        pod.ExecProcesses[process.Id] = process;
        try
        {
            var session = new ExecSession(socket, process, request, protocol == ExecSession.V5, faults.ExecCutAfter(podName), faults.ExecStdinCutAfter(podName));
            await session.RunAsync(http.RequestAborted).ConfigureAwait(false);
        }
        finally
        {
            pod.ExecProcesses.TryRemove(process.Id, out _);
            ProcessLauncher.KillNow(process);
            process.Dispose();
        }
    }

    private static StatusResponses.Error? Validate(HttpContext http, PodState? pod, string podName, ExecRequest request,
        out string container, out string protocol)
    {
        container = "";
        protocol = "";
        if (pod is null) return StatusResponses.PodNotFound(podName);
        if (pod.ResolveContainer(request.Container, out container) is { } invalid) return invalid;
        if (pod.Current(container) is not { IsRunning: true } || pod.Context(container) is null)
            return StatusResponses.BadRequest($"container {container} is not running in pod {podName}");
        if (!http.WebSockets.IsWebSocketRequest)
            return StatusResponses.BadRequest(
                "Upgrade request required: this simulated cluster serves exec over WebSocket only (v5.channel.k8s.io, v4.channel.k8s.io)");
        protocol = http.WebSockets.WebSocketRequestedProtocols.FirstOrDefault(p => Protocols.Contains(p)) ?? "";
        if (protocol.Length == 0)
            return StatusResponses.BadRequest($"none of the requested subprotocols is served; use one of: {string.Join(", ", Protocols)}");
        if (request.Command.Count == 0) return StatusResponses.BadRequest("you must specify at least 1 command");
        return null;
    }
}

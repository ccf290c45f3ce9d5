using System.Collections.Concurrent;
using System.ComponentModel;
using k8s.Models;
using Microsoft.AspNetCore.Http;

namespace KubeRunbooks.Simulator.Runtime;

/// <summary>
/// The simulated kubelet: runs each container as a local process (see <see cref="MountPathRewriter"/>
/// for how volumes are reached), keeps its log and serves pods/log and pods/exec.
/// </summary>
public sealed class ProcessPodRuntime : IPodRuntime
{
    private const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private readonly ConcurrentDictionary<(string Ns, string Name), PodState> _pods = new();
    private readonly PodRuntimeOptions _options;
    private readonly IEnvSource _envSource;
    private readonly EnvResolver _env;

    /// <summary>Creates the runtime; env and volume references are resolved through <paramref name="envSource"/>.</summary>
    public ProcessPodRuntime(PodRuntimeOptions options, IEnvSource envSource)
    {
        _options = options;
        _envSource = envSource;
        _env = new EnvResolver(envSource);
        Directory.CreateDirectory(options.RootFolder);
    }

    /// <inheritdoc />
    public void StartPod(V1Pod pod, IPodStatusSink sink)
    {
        var state = new PodState(pod, sink);
        var key = (state.Namespace, state.Name);
        if (_pods.TryGetValue(key, out var earlier))
        {
            // A pod recreated under the same name: the earlier one's processes must not outlive it.
            earlier.Stopping.Cancel();
            foreach (var process in earlier.RunningProcesses()) ProcessLauncher.KillNow(process);
            state.InheritHistory(earlier);
        }
        _pods[key] = state;
        state.Running = Task.Run(() => RunPodAsync(state));
    }

    /// <inheritdoc />
    public async Task StopPodAsync(string ns, string podName, TimeSpan gracePeriod)
    {
        if (!_pods.TryGetValue((ns, podName), out var state)) return;
        await StopAsync(state, gracePeriod).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void ForgetPod(string ns, string podName)
    {
        if (!_pods.TryRemove((ns, podName), out var state)) return;
        state.Stopping.Cancel();
        foreach (var process in state.RunningProcesses()) ProcessLauncher.KillNow(process);
        try { Directory.Delete(VolumeLayout.PodFolderOf(_options, ns, podName), recursive: true); }
        catch (IOException) { /* a process still writing: left for the next start to clear */ }
        catch (UnauthorizedAccessException) { /* same */ }
    }

    /// <inheritdoc />
    public Task HandleLogsAsync(HttpContext http, string ns, string podName, LogRequest request) =>
        LogEndpoint.ServeAsync(http, _pods.GetValueOrDefault((ns, podName)), podName, request);

    /// <inheritdoc />
    public Task HandleExecAsync(HttpContext http, string ns, string podName, ExecRequest request) =>
        ExecEndpoint.ServeAsync(http, _pods.GetValueOrDefault((ns, podName)), podName, request, _options.Faults);

    /// <inheritdoc />
    public Task HandleAttachAsync(HttpContext http, string ns, string podName, ExecRequest request) =>
        AttachEndpoint.ServeAsync(http, _pods.GetValueOrDefault((ns, podName)), podName, request);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_pods.Values.Select(s => StopAsync(s, TimeSpan.Zero))).ConfigureAwait(false);
        _pods.Clear();
    }

    private static async Task StopAsync(PodState state, TimeSpan grace)
    {
        state.Stopping.Cancel();
        await Task.WhenAll(state.RunningProcesses().Select(p => ProcessLauncher.StopAsync(p, grace))).ConfigureAwait(false);
        // A container that started while the snapshot was taken is not in it: kill what runs until the pod's run ends.
        while (!state.Running.IsCompleted)
        {
            foreach (var process in state.RunningProcesses()) ProcessLauncher.KillNow(process);
            await Task.WhenAny(state.Running, Task.Delay(100)).ConfigureAwait(false);
        }
        await state.Running.ConfigureAwait(false);
    }

    private async Task RunPodAsync(PodState state)
    {
        VolumeLayout volumes;
        try
        {
            volumes = VolumeLayout.Prepare(state.Pod, _options, _envSource);
        }
        catch (ContainerConfigException e)
        {
            var first = state.Pod.Spec.InitContainers?.FirstOrDefault() ?? state.Pod.Spec.Containers.First();
            var isInit = state.Pod.Spec.InitContainers?.Count > 0;
            state.SetWaiting(first.Name, e.Reason);
            state.Sink.ContainerWaiting(state.Namespace, state.Name, first.Name, isInit, e.Reason, e.Message);
            return;
        }

        foreach (var init in state.Pod.Spec.InitContainers ?? [])
        {
            // A failing init container stops the pod there (the controller shows Init:Error).
            var code = await RunContainerAsync(state, volumes, init, isInit: true).ConfigureAwait(false);
            if (code != 0 || state.Stopping.IsCancellationRequested) return;
        }
        await Task.WhenAll(state.Pod.Spec.Containers.Select(c => RunContainerAsync(state, volumes, c, isInit: false)))
            .ConfigureAwait(false);
    }

    /// <summary>Runs one container to its end; returns its exit code (-1 when it could not be created).</summary>
    private async Task<int> RunContainerAsync(PodState state, VolumeLayout volumes, V1Container container, bool isInit)
    {
        if (state.Stopping.IsCancellationRequested) return -1;
        ContainerContext context;
        try
        {
            context = BuildContext(state.Pod, volumes, container);
        }
        catch (ContainerConfigException e)
        {
            state.SetWaiting(container.Name, e.Reason);
            state.Sink.ContainerWaiting(state.Namespace, state.Name, container.Name, isInit, e.Reason, e.Message);
            return -1;
        }

        var argv = _options.Faults.ForcedExitCode(state.Name, container.Name) is { } forced
            ? new[] { "sh", "-c", $"exit {forced}" }
            : context.Argv;
        var run = new ContainerRun(container.Name, isInit, new ContainerLog(_options.LogCapacityBytes));
        state.AddRun(run, context);
        try
        {
            run.Process = ProcessLauncher.Start(argv, context.Env, context.WorkingDirectory);
        }
        catch (Win32Exception e)
        {
            // As a container runtime reports a missing entrypoint: exit code 128, the reason in the log.
            run.Log.Append(System.Text.Encoding.UTF8.GetBytes($"exec {argv[0]} failed: {e.Message}\n"), DateTimeOffset.UtcNow);
            run.ExitCode = 128;
            run.Log.Complete();
            state.Sink.ContainerTerminated(state.Namespace, state.Name, container.Name, isInit, 128, DateTimeOffset.UtcNow);
            return 128;
        }

        var process = run.Process;
        // Stopped between the check above and the start: the stop's snapshot may have missed this process.
        if (state.Stopping.IsCancellationRequested) ProcessLauncher.KillNow(process);
        process.StandardInput.Close(); // containers run without stdin, as with stdin: false
        state.Sink.ContainerStarted(state.Namespace, state.Name, container.Name, isInit, DateTimeOffset.UtcNow);
        var pumps = Task.WhenAll(
            LogPump.PumpAsync(process.StandardOutput.BaseStream, run.Log),
            LogPump.PumpAsync(process.StandardError.BaseStream, run.Log));
        await process.WaitForExitAsync().ConfigureAwait(false);
        // A background child may keep the pipes open; the container ends with its main process.
        try { await pumps.WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false); }
        catch (TimeoutException) { /* output of orphans is not the container's */ }
        run.ExitCode = process.ExitCode;
        run.Log.Complete();
        state.Sink.ContainerTerminated(state.Namespace, state.Name, container.Name, isInit, process.ExitCode, DateTimeOffset.UtcNow);
        return process.ExitCode;
    }

    private ContainerContext BuildContext(V1Pod pod, VolumeLayout volumes, V1Container container)
    {
        var image = ImageReference.Parse(container.Image);
        var mounts = volumes.MountsOf(container);
        var rewriter = new MountPathRewriter(mounts);
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PATH"] = DefaultPath,
            ["HOME"] = Environment.GetEnvironmentVariable("HOME") ?? "/root",
            ["HOSTNAME"] = pod.Metadata.Name,
            ["SIM_IMAGE"] = container.Image ?? "",
            ["SIM_IMAGE_REPOSITORY"] = image.Repository,
            ["SIM_IMAGE_TAG"] = image.Tag,
            ["SIM_POD_DIR"] = volumes.PodFolder,
        };
        foreach (var (mountPath, local) in mounts) env[MountPathRewriter.EnvNameOf(mountPath)] = local;
        _env.Resolve(pod, container, env);
        foreach (var key in env.Keys.ToList()) env[key] = rewriter.Rewrite(env[key]);

        var argv = CommandOf(container, image).Select(a => rewriter.Rewrite(EnvResolver.Expand(a, env))).ToList();
        var workingDirectory = container.WorkingDir is { Length: > 0 } wd && Directory.Exists(rewriter.Rewrite(wd))
            ? rewriter.Rewrite(wd)
            : volumes.PodFolder;
        return new ContainerContext(argv, env, rewriter, workingDirectory);
    }

    private IReadOnlyList<string> CommandOf(V1Container container, ImageReference image)
    {
        if (container.Command is { Count: > 0 } command) return [.. command, .. container.Args ?? []];
        if (_options.ImageCommands.TryGetValue(image.Repository, out var standIn) ||
            _options.ImageCommands.TryGetValue(image.ShortName, out standIn))
            return [.. standIn, .. container.Args ?? []];
        return _options.IdleCommand;
    }
}

using System.Collections.Concurrent;
using System.ComponentModel;
using System.Net;
using System.Net.Sockets;
using k8s.Models;
using KubeRunbooks.Simulator.Runtime.Images;
using Microsoft.AspNetCore.Http;

namespace KubeRunbooks.Simulator.Runtime;

/// <summary>
/// The simulated kubelet: runs each container in a sandbox of its own (<see cref="Bubblewrap"/>: its own root,
/// its volumes at their mountPaths, its user), keeps its log and serves pods/log and pods/exec. The database
/// images (<see cref="ServerImages"/>) run the real servers; every pod finds the cluster's Services by name
/// (<see cref="ServiceAddressBook"/>).
/// </summary>
public sealed class ProcessPodRuntime : IPodRuntime
{
    private const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private static readonly TimeSpan ServerStartLimit = TimeSpan.FromMinutes(2);
    private readonly ConcurrentDictionary<(string Ns, string Name), PodState> _pods = new();
    private readonly ServiceAddressBook _addresses = new();
    private readonly PodRuntimeOptions _options;
    private readonly IEnvSource _envSource;
    private readonly IServiceSource? _services;
    private readonly EnvResolver _env;

    /// <summary>Creates the runtime; env and volume references are resolved through <paramref name="envSource"/>,
    /// Service names and ports through <paramref name="services"/> (none when null).</summary>
    public ProcessPodRuntime(PodRuntimeOptions options, IEnvSource envSource, IServiceSource? services = null)
    {
        _options = options;
        _envSource = envSource;
        _services = services;
        _env = new EnvResolver(envSource);
        Directory.CreateDirectory(options.RootFolder);
    }

    /// <inheritdoc />
    public void StartPod(V1Pod pod, IPodStatusSink sink)
    {
        var state = new PodState(pod, sink);
        var key = (state.Namespace, state.Name);
        Task? terminating = null;
        if (_pods.TryGetValue(key, out var earlier))
        {
            if (earlier.Stopped is { IsCompleted: false } stopping && earlier.Pod.Metadata.Uid != pod.Metadata.Uid)
            {
                // A deleted namesake still in its grace period: this pod starts once it has stopped (as a StatefulSet's does).
                terminating = stopping;
            }
            else
            {
                // The same pod again (its containers restart): the earlier processes must not outlive it.
                earlier.Stopping.Cancel();
                foreach (var run in earlier.RunningRuns()) ProcessLauncher.KillNow(run.Process!, run.SandboxPid);
                foreach (var process in earlier.ExecProcesses.Values) ProcessLauncher.KillNow(process);
            }
            state.InheritHistory(earlier);
        }
        _pods[key] = state;
        state.Running = Task.Run(() => RunPodGuardedAsync(state, terminating));
    }

    /// <inheritdoc />
    public Task StopPodAsync(string ns, string podName, TimeSpan gracePeriod)
    {
        if (!_pods.TryGetValue((ns, podName), out var state)) return Task.CompletedTask;
        lock (state) state.Stopped ??= StopAndRemoveFilesAsync(state, gracePeriod);
        return state.Stopped;
    }

    /// <inheritdoc />
    public Task WhenEndedAsync(string ns, Func<V1Pod, bool> which)
    {
        var running = _pods.Values.Where(s => s.Namespace == ns && !s.Running.IsCompleted && which(s.Pod)).Select(s => s.Running).ToList();
        // A run that failed has ended too: only its end is awaited, never its outcome.
        return running.Count == 0 ? Task.CompletedTask : Task.WhenAll(running.Select(r => r.ContinueWith(_ => { }, TaskScheduler.Default)));
    }

    /// <inheritdoc />
    public void ForgetPod(string ns, string podName)
    {
        // Only a stopped or finished pod: a namesake that started meanwhile stays.
        if (!_pods.TryGetValue((ns, podName), out var state) || !(state.Stopping.IsCancellationRequested || state.Running.IsCompleted)) return;
        state.Stopping.Cancel();
        if (!_pods.TryRemove(new KeyValuePair<(string, string), PodState>((ns, podName), state))) return;
        foreach (var run in state.RunningRuns()) ProcessLauncher.KillNow(run.Process!, run.SandboxPid);
        foreach (var process in state.ExecProcesses.Values) ProcessLauncher.KillNow(process);
        RemoveFolder(state);
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
    public Task HandlePortForwardAsync(HttpContext http, string ns, string podName) =>
        PortForward.PortForwardEndpoint.ServeAsync(http, _pods.GetValueOrDefault((ns, podName)), podName, _addresses.PodAddress(ns, podName));

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_pods.Values.Select(s => s.Stopped is { } stopping ? stopping : StopAsync(s, TimeSpan.Zero))).ConfigureAwait(false);
        _pods.Clear();
    }

    private async Task StopAndRemoveFilesAsync(PodState state, TimeSpan grace)
    {
        await StopAsync(state, grace).ConfigureAwait(false);
        RemoveFolder(state);
    }

    private void RemoveFolder(PodState state)
    {
        try { Directory.Delete(VolumeLayout.PodFolderOf(_options, state.Pod), recursive: true); }
        catch (DirectoryNotFoundException) { /* never started, or removed already */ }
        catch (IOException) { /* a process still writing: left behind */ }
        catch (UnauthorizedAccessException) { /* same */ }
    }

    private static async Task StopAsync(PodState state, TimeSpan grace)
    {
        state.Stopping.Cancel();
        await Task.WhenAll(state.RunningRuns().Select(r => ProcessLauncher.StopAsync(r.Process!, r.SandboxPid, r.StopSignal, grace))).ConfigureAwait(false);
        foreach (var process in state.ExecProcesses.Values) ProcessLauncher.KillNow(process);
        // A container that started while the snapshot was taken is not in it: kill what runs until the pod's run ends.
        while (!state.Running.IsCompleted)
        {
            foreach (var run in state.RunningRuns()) ProcessLauncher.KillNow(run.Process!, run.SandboxPid);
            await Task.WhenAny(state.Running, Task.Delay(100)).ConfigureAwait(false);
        }
        await state.Running.ConfigureAwait(false);
    }

    /// <summary>Runs the pod; a failure of the runtime itself leaves the container waiting with the reason, as a kubelet shows it.</summary>
    private async Task RunPodGuardedAsync(PodState state, Task? terminating)
    {
        try
        {
            await RunPodAsync(state, terminating).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or Win32Exception)
        {
            var container = state.Pod.Spec.Containers.First().Name;
            state.SetWaiting(container, "CreateContainerError");
            state.Sink.ContainerWaiting(state.Namespace, state.Name, container, false, "CreateContainerError", e.Message);
        }
    }

    private async Task RunPodAsync(PodState state, Task? terminating)
    {
        if (terminating is not null)
        {
            try { await terminating.ConfigureAwait(false); }
            catch (Exception) { /* its failure to stop is not this pod's */ }
        }
        var first = state.Pod.Spec.InitContainers?.FirstOrDefault() ?? state.Pod.Spec.Containers.First();
        var firstIsInit = state.Pod.Spec.InitContainers?.Count > 0;
        if (Bubblewrap.Path is null)
        {
            state.SetWaiting(first.Name, "CreateContainerError");
            state.Sink.ContainerWaiting(state.Namespace, state.Name, first.Name, firstIsInit, "CreateContainerError", Bubblewrap.MissingMessage);
            return;
        }
        VolumeLayout volumes;
        try
        {
            volumes = VolumeLayout.Prepare(state.Pod, _options, _envSource);
        }
        catch (ContainerConfigException e)
        {
            state.SetWaiting(first.Name, e.Reason);
            state.Sink.ContainerWaiting(state.Namespace, state.Name, first.Name, firstIsInit, e.Reason, e.Message);
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
        var server = CommandOf(container, PulledImage.Parse(container.Image)) is null ? ServerImages.Find(container.Image) : null;
        if (server is { IsInstalled: false })
        {
            // As a kubelet shows an image it cannot pull.
            state.SetWaiting(container.Name, "ErrImagePull");
            state.Sink.ContainerWaiting(state.Namespace, state.Name, container.Name, isInit, "ErrImagePull", server.NotInstalledMessage(container.Image ?? ""));
            return -1;
        }
        ContainerContext context;
        try
        {
            context = BuildContext(state.Pod, volumes, container, server);
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
        var env = new Dictionary<string, string>(context.Env, StringComparer.Ordinal);
        (IReadOnlyList<IPAddress> Addresses, int Port)? listen = server is null ? null : ListenOf(state.Pod, container, server);
        if (server is not null && listen is { } where)
        {
            // Only the server's own process is told where to listen and keep its data; exec'd processes see the pod's env.
            env["SIM_LISTEN_ADDRESSES"] = string.Join(",", where.Addresses);
            env["SIM_LISTEN_PORT"] = where.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            env["SIM_DATA_DIR"] = server.DataDirectory;
            env["SIM_SERVER_USER"] = server.User;
            env["SIM_CONFIG_FILE"] = ConfigFileOf(context, server) ?? "";
        }
        var run = new ContainerRun(container.Name, isInit, new ContainerLog(_options.LogCapacityBytes)) { StopSignal = server?.StopSignal ?? 15 };
        if (!context.CanExecute(argv[0]))
        {
            // As a container runtime reports a missing entrypoint: exit code 128, the reason in the log.
            state.AddRun(run, context);
            run.Log.Append(System.Text.Encoding.UTF8.GetBytes(
                $"exec: \"{argv[0]}\": executable file not found in $PATH: the container cannot start\n"), DateTimeOffset.UtcNow);
            run.ExitCode = 128;
            run.Log.Complete();
            state.Sink.ContainerTerminated(state.Namespace, state.Name, container.Name, isInit, 128, DateTimeOffset.UtcNow);
            return 128;
        }
        var containerFolder = Path.GetDirectoryName(context.Root.Folder)!;
        var infoFile = Path.Combine(containerFolder, "sandbox.json");
        File.Delete(infoFile);
        var hostname = context.Env["HOSTNAME"];
        state.AddRun(run, context);
        try
        {
            run.Process = ProcessLauncher.Start(
                Bubblewrap.ContainerArgv(context.Root, hostname, context.WorkingDirectory, context.Mounts, context.Identity, argv, infoFile),
                env, containerFolder);
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
        // Maps the container's user namespace, lets it go on, and closes stdin (containers run without stdin, as with stdin: false).
        await UserNamespace.MapAsync(process).ConfigureAwait(false);
        var pumps = Task.WhenAll(
            LogPump.PumpAsync(process.StandardOutput.BaseStream, run.Log),
            LogPump.PumpAsync(process.StandardError.BaseStream, run.Log));
        run.SandboxPid = await ProcessLauncher.SandboxPidAsync(process, infoFile).ConfigureAwait(false);
        if (run.SandboxPid is { } sandbox) run.MainPid = await ProcessLauncher.MainPidAsync(process, sandbox).ConfigureAwait(false);
        // Stopped between the check above and the start: the stop's snapshot may have missed this process.
        if (state.Stopping.IsCancellationRequested) ProcessLauncher.KillNow(process, run.SandboxPid);
        // A server's container counts as started once it accepts connections (what its readiness probe would say).
        if (listen is { } at && !state.Stopping.IsCancellationRequested) await WaitForServerAsync(process, at.Addresses[0], at.Port, server!).ConfigureAwait(false);
        state.Sink.ContainerStarted(state.Namespace, state.Name, container.Name, isInit, DateTimeOffset.UtcNow);
        await process.WaitForExitAsync().ConfigureAwait(false);
        // The main process ended: end whatever it left in the container (its PID namespace goes with its init).
        ProcessLauncher.KillNow(process, run.SandboxPid);
        try { await pumps.WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false); }
        catch (TimeoutException) { /* output of orphans is not the container's */ }
        run.ExitCode = process.ExitCode;
        run.Log.Complete();
        state.Sink.ContainerTerminated(state.Namespace, state.Name, container.Name, isInit, process.ExitCode, DateTimeOffset.UtcNow);
        return process.ExitCode;
    }

    private static async Task WaitForServerAsync(System.Diagnostics.Process process, IPAddress address, int port, ServerImage server)
    {
        var deadline = DateTimeOffset.UtcNow + ServerStartLimit;
        while (!process.HasExited && DateTimeOffset.UtcNow < deadline)
        {
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(address, port).WaitAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
                // PostgreSQL opens its port before recovery ends ("the database system is starting up"): ask pg_isready.
                if (server.Name == "PostgreSQL" && File.Exists("/usr/bin/pg_isready"))
                {
                    using var check = System.Diagnostics.Process.Start("/usr/bin/pg_isready", ["-q", "-h", address.ToString(), "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
                    await check.WaitForExitAsync().ConfigureAwait(false);
                    if (check.ExitCode != 0) throw new TimeoutException("not accepting queries yet");
                }
                return;
            }
            catch (Exception e) when (e is SocketException or TimeoutException)
            {
                await Task.WhenAny(process.WaitForExitAsync(), Task.Delay(100)).ConfigureAwait(false);
            }
        }
    }

    private ContainerContext BuildContext(V1Pod pod, VolumeLayout volumes, V1Container container, ServerImage? server)
    {
        var ns = pod.Metadata.NamespaceProperty ?? "default";
        var image = PulledImage.Parse(container.Image);
        var identity = ContainerIdentity.Of(pod, container);
        var hostname = pod.Spec.Hostname is { Length: > 0 } h ? h : pod.Metadata.Name;
        var services = _services?.Services() ?? [];
        var root = ContainerRoot.Prepare(volumes.PodFolder, container.Name, hostname, _addresses.HostsFile(ns, pod.Metadata.Name, hostname, services));
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PATH"] = DefaultPath,
            ["HOME"] = server?.Home ?? HomeOf(identity.Uid),
            ["HOSTNAME"] = hostname,
            ["SIM_IMAGE"] = container.Image ?? "",
            ["SIM_IMAGE_REPOSITORY"] = image.Repository,
            ["SIM_IMAGE_TAG"] = image.Tag,
        };
        _env.Resolve(pod, container, env);

        IReadOnlyList<string> argv;
        if (server is not null)
        {
            var entrypoint = Path.Combine(root.Folder, "docker-entrypoint.sh");
            File.WriteAllText(entrypoint, server.ScriptText());
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(entrypoint, (UnixFileMode)Convert.ToInt32("755", 8));
            argv = ["/docker-entrypoint.sh", .. (container.Args ?? []).Select(a => EnvResolver.Expand(a, env))];
        }
        else
        {
            argv = (CommandOf(container, image) ?? _options.IdleCommand).Select(a => EnvResolver.Expand(a, env)).ToList();
        }
        var workingDirectory = container.WorkingDir is { Length: > 0 } wd ? wd : "/";
        RefreshHosts(services);
        var mounts = volumes.MountsOf(container);
        root.PrepareMountPoints(mounts);
        return new ContainerContext(argv, env, workingDirectory, identity, root, mounts);
    }

    /// <summary>Rewrites every running container's hosts file, so Services created since it started resolve.</summary>
    private void RefreshHosts(IReadOnlyList<ServiceEntry> services)
    {
        foreach (var state in _pods.Values)
        foreach (var context in state.Contexts())
        {
            try { context.Root.WriteHosts(_addresses.HostsFile(state.Namespace, state.Name, context.Env["HOSTNAME"], services)); }
            catch (IOException) { /* the pod is being removed */ }
            catch (UnauthorizedAccessException) { /* same */ }
        }
    }

    /// <summary>Where a server listens: its pod's address and those of the Services that select it, at the Service's target port.</summary>
    private (IReadOnlyList<IPAddress> Addresses, int Port) ListenOf(V1Pod pod, V1Container container, ServerImage server)
    {
        var ns = pod.Metadata.NamespaceProperty ?? "default";
        var selecting = ServiceAddressBook.Selecting(pod, _services?.Services() ?? []);
        var addresses = new List<IPAddress> { _addresses.PodAddress(ns, pod.Metadata.Name) };
        addresses.AddRange(selecting.Select(s => _addresses.ServiceAddress(ns, s.Name)));
        var port = server.Port;
        foreach (var target in selecting.SelectMany(s => s.Ports).Select(p => p.TargetPort))
        {
            if (int.TryParse(target, out var number)) { port = number; break; }
            if (container.Ports?.FirstOrDefault(p => p.Name == target) is { } named) { port = named.ContainerPort; break; }
        }
        return (addresses, port);
    }

    /// <summary>The config file a server reads: for Redis, a <c>redis.conf</c> in one of the container's volumes.</summary>
    private static string? ConfigFileOf(ContainerContext context, ServerImage server)
    {
        if (server.Name != "Redis") return null;
        foreach (var (mountPath, local, _) in context.Mounts)
        {
            if (File.Exists(Path.Combine(local, "redis.conf"))) return mountPath + "/redis.conf";
            if (mountPath.EndsWith("/redis.conf", StringComparison.Ordinal) && File.Exists(local)) return mountPath;
        }
        return null;
    }

    private static string HomeOf(long uid)
    {
        if (uid == 0) return "/root";
        foreach (var line in File.Exists("/etc/passwd") ? File.ReadLines("/etc/passwd") : [])
        {
            var fields = line.Split(':');
            if (fields.Length > 5 && fields[2] == uid.ToString(System.Globalization.CultureInfo.InvariantCulture)) return fields[5];
        }
        return "/";
    }

    /// <summary>The container's command: its own, else the scenario's stand-in for its image; null when it has neither.</summary>
    private IReadOnlyList<string>? CommandOf(V1Container container, PulledImage image)
    {
        if (container.Command is { Count: > 0 } command) return [.. command, .. container.Args ?? []];
        if (_options.ImageCommands.TryGetValue(image.Repository, out var standIn) ||
            _options.ImageCommands.TryGetValue(image.ShortName, out standIn))
            return [.. standIn, .. container.Args ?? []];
        return null;
    }
}

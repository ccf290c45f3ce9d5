using Cake.Core;
using KubeRunbooks.Clusters;
using Cake.Core.Diagnostics;
using Cake.Frosting;
using KubeRunbooks.Errors;
using KubeRunbooks.Frosting;
using KubeRunbooks.HostFiles;
using KubeRunbooks.Kubernetes.Nodes;
using KubeRunbooks.Reporting;
using KubeRunbooks.Runbooks;

namespace KubeRunbooks.Tasks.OpenShift;

/// <summary>
/// Seed 003: an OpenShift 3 node host's configuration (<c>/etc/origin</c>, <c>/etc/sysconfig</c> service files,
/// dnsmasq, CNI, CA anchors) and its package list, as <c>&lt;hostname&gt;-&lt;yyyyMMdd&gt;.tar.gz</c> in the profile's
/// backup folder. Reads this host, another filesystem root (<c>--root=DIR</c>, e.g. a mounted disk) or a node
/// through a privileged pod with the node's filesystem mounted (<c>--node=NAME</c>, what <c>oc debug node/NAME</c> does).
/// </summary>
[TaskName("NodeConfigBackup")]
[TaskDescription("OpenShift node host configuration and package list into <hostname>-<yyyyMMdd>.tar.gz (seed 003); --root=DIR or --node=NAME")]
public sealed class NodeConfigBackupTask : AsyncFrostingTask<RunbookContext>, IPlannedMutations
{
    /// <inheritdoc />
    public override async Task RunAsync(RunbookContext context)
    {
        var request = NodeConfigRequest.From(context);
        AtomicFile.CreatePrivateFolder(request.Folder);
        var archiver = new HostConfigArchiver();
        var header = new[] { $"NodeConfigBackup of {request.HostName}, {request.When:yyyy-MM-dd HH:mm:ss}Z (seed 003)" };
        using var timeout = new CancellationTokenSource(context.Profile.Timeouts.Default);
        HostArchiveResult result;
        try
        {
            if (request.Node is { } node)
            {
                var openShift = context.Profile.Product<OpenShiftSettings>() ?? new OpenShiftSettings();
                context.Log.Information($"Starting pod {openShift.DebugNamespace}/{NodeDebugPod.NameFor(node)} on node {node} with its filesystem at {NodeDebugPod.HostRoot}.");
                await using var pod = await NodeDebugPod.StartAsync(context.Kubernetes, node, openShift.DebugNamespace, openShift.DebugImage, context.Profile.Timeouts.PodReady, timeout.Token);
                result = await archiver.CreateAsync(pod.Commands, NodeConfigFiles.Selection, request.ArchivePath, header, timeout.Token);
            }
            else
            {
                result = await archiver.CreateAsync(new LocalHostCommands(request.Root!), NodeConfigFiles.Selection, request.ArchivePath, header, timeout.Token);
            }
        }
        catch (HostArchiveException e)
        {
            throw new StepFailedException($"{e.Message} No archive was written.", e);
        }

        foreach (var absent in result.Absent) context.Log.Information($"absent (optional, listed in {HostConfigArchiver.ManifestName}): /{absent}");
        if (result.PackageSource != "rpm -qa") context.Log.Warning($"rpm is absent: {HostConfigArchiver.PackagesName} is {(result.PackageSource == "none" ? "empty (no package database)" : "the platform's own list, " + result.PackageSource)}.");
        context.Log.Information($"Node configuration backup: {result.Path} ({result.Entries} entries, {result.Bytes} bytes, sha256 {result.Sha256}).");
        context.Journal.RecordFact("archive", result.Path);
        context.Journal.RecordFact("sha256", result.Sha256);
        context.Journal.RecordFact("bytes", result.Bytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        context.Journal.RecordFact("absent", string.Join(", ", result.Absent.Select(a => "/" + a)));
        context.Journal.RecordFact("packages", result.PackageSource);
    }

    /// <inheritdoc />
    public IEnumerable<string> PlanMutations(ICakeContext context)
    {
        var run = (RunbookContext)context;
        var request = NodeConfigRequest.From(run);
        if (request.Node is { } node)
        {
            var openShift = run.Profile.Product<OpenShiftSettings>() ?? new OpenShiftSettings();
            yield return $"create pod {openShift.DebugNamespace}/{NodeDebugPod.NameFor(node)} on node {node} (privileged, hostPath / at {NodeDebugPod.HostRoot}, image {openShift.DebugImage}); delete it afterwards";
        }
        yield return $"write {request.ArchivePath} (mode 0600) and {Path.GetFileName(request.ArchivePath)}.sha256";
    }
}

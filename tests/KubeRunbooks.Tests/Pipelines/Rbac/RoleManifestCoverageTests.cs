using System.Reflection;
using Cake.Frosting;
using KubeRunbooks.Kubernetes.Access;
using KubeRunbooks.Tasks.Common;
using KubeRunbooks.Tests.Frosting;

namespace KubeRunbooks.Tests.Pipelines.Rbac;

/// <summary>
/// Every target of the host has a least-privilege manifest in <c>rbac/</c> or is declared as needing none
/// (<see cref="RoleManifests.LocalOnly"/>), so a new target without one fails here; and the manifests the tool embeds
/// are the repository's files, each naming targets that exist.
/// </summary>
public sealed class RoleManifestCoverageTests
{
    private static readonly Lazy<HostSurface> Host = new(HostSurface.Load);

    /// <summary>
    /// The targets: every task no other task depends on (a step is run through its target), and the steps of the
    /// <c>Default</c> alias (ClusterInfo), which are run by name too.
    /// </summary>
    private static IReadOnlyList<string> Targets()
    {
        var tasks = typeof(ClusterInfoTask).Assembly.GetTypes()
            .Where(t => typeof(IFrostingTask).IsAssignableFrom(t) && !t.IsAbstract)
            .ToDictionary(t => t, t => t.GetCustomAttribute<TaskNameAttribute>()?.Name ?? t.Name);
        var dependencies = tasks.Keys.SelectMany(t => t.GetCustomAttributes<IsDependentOnAttribute>().Select(d => (From: t, To: d.Task)))
            .Concat(tasks.Keys.SelectMany(t => t.GetCustomAttributes<IsDependeeOfAttribute>().Select(d => (From: d.Task, To: t))))
            .ToList();
        var steps = dependencies.Where(d => tasks[d.From] != "Default").Select(d => d.To).ToHashSet();
        return tasks.Where(t => !steps.Contains(t.Key)).Select(t => t.Value).Where(n => n != "Default").Order(StringComparer.Ordinal).ToList();
    }

    [Test]
    public void The_target_list_is_read_from_the_task_graph_and_matches_the_hosts()
    {
        var targets = Targets();

        Assert.That(targets, Does.Contain("UpgradeMinor").And.Contain("ClusterInfo").And.Contain("NodeConfigBackup").And.Not.Contain("Lock").And.Not.Contain("StopVantiq"));
        Assert.That(targets.Where(t => !Host.Value.Targets.Contains(t)), Is.Empty, "every one is a target of the built host");
    }

    [Test]
    public void Every_target_has_a_manifest_or_is_declared_as_needing_none()
    {
        var uncovered = Targets().Where(t => RoleManifests.For(t) is null && !RoleManifests.LocalOnly.Contains(t)).ToList();

        Assert.That(uncovered, Is.Empty, "add the target to a manifest's kuberunbooks.io/targets in rbac/, or to RoleManifests.LocalOnly when it talks to no cluster");
    }

    [Test]
    public void The_embedded_manifests_are_the_repositorys_files_and_name_only_real_targets()
    {
        var files = Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "rbac"), "*.yaml").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        var targets = Targets().Append("Default").ToHashSet(StringComparer.OrdinalIgnoreCase);

        Assert.That(RoleManifests.All.Select(m => m.Name), Is.EqualTo(files));
        foreach (var manifest in RoleManifests.All)
        {
            var onDisk = RoleManifest.Parse(manifest.Name, File.ReadAllText(Path.Combine(RepositoryPaths.Root, "rbac", manifest.Name)));
            Assert.That(onDisk.Rules, Is.EqualTo(manifest.Rules), $"{manifest.Name}: the embedded copy is the file's");
            Assert.That(manifest.Rules, Is.Not.Empty, manifest.Name);
            Assert.That(manifest.Targets.Where(t => !targets.Contains(t)), Is.Empty, $"{manifest.Name} names targets that exist");
        }
        var claimed = RoleManifests.All.SelectMany(m => m.Targets).GroupBy(t => t, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key);
        Assert.That(claimed, Is.Empty, "one manifest per target");
        Assert.That(RoleManifests.LocalOnly.Where(t => RoleManifests.For(t) is not null), Is.Empty, "a local-only target has no manifest");
    }
}

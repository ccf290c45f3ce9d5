using k8s.Models;

namespace KubeRunbooks.Simulator.Runtime;

/// <summary>
/// The user a container's processes run as, from <c>securityContext</c> (the container's wins over the pod's):
/// <c>runAsUser</c>, <c>runAsGroup</c> (the user's group 0 by default, as the runtime does), and <c>fsGroup</c>
/// plus <c>supplementalGroups</c> as supplementary groups. Unset, the image's user applies (root here).
/// </summary>
internal sealed record ContainerIdentity(long Uid, long Gid, IReadOnlyList<long> Groups)
{
    /// <summary>Root, the user of every image this runtime knows.</summary>
    public static readonly ContainerIdentity Root = new(0, 0, []);

    /// <summary>The identity the pod spec asks for the container.</summary>
    public static ContainerIdentity Of(V1Pod pod, V1Container container)
    {
        var podContext = pod.Spec.SecurityContext;
        var own = container.SecurityContext;
        var uid = own?.RunAsUser ?? podContext?.RunAsUser ?? 0;
        var gid = own?.RunAsGroup ?? podContext?.RunAsGroup ?? 0;
        var groups = new List<long>();
        if (podContext?.FsGroup is { } fsGroup) groups.Add(fsGroup);
        foreach (var extra in podContext?.SupplementalGroups ?? []) if (extra is { } id && !groups.Contains(id)) groups.Add(id);
        return new ContainerIdentity(uid, gid, groups);
    }

    /// <summary>The <c>setpriv</c> options that switch to this identity.</summary>
    public IEnumerable<string> SetprivOptions()
    {
        yield return $"--reuid={Uid}";
        yield return $"--regid={Gid}";
        yield return Groups.Count == 0 ? "--clear-groups" : "--groups=" + string.Join(",", Groups);
    }
}

using KubeRunbooks.HostFiles;

namespace KubeRunbooks.Tasks.OpenShift;

/// <summary>
/// What seed 003 ("4.2. Creating a node host backup") copies from an OpenShift 3 node host, relative to its root.
/// <c>etc/origin/node</c> is required (without it the root is not a node host); everything else is optional and
/// listed as absent when missing. The seed's table names <c>/etc/sysconfig/docker</c>, which its
/// <c>{iptables,docker-*,flanneld}</c> glob misses: it is listed here explicitly, as the table means.
/// </summary>
public static class NodeConfigFiles
{
    /// <summary>The seed's paths, in its order (<c>/etc/origin</c> with <c>node/</c> and <c>cloudprovider/</c> whole).</summary>
    public static HostFileSelection Selection { get; } = new(
        [
            "etc/origin",
            "etc/sysconfig/atomic-openshift-node",
            "etc/sysconfig/iptables",
            "etc/sysconfig/docker",
            "etc/sysconfig/docker-*",
            "etc/sysconfig/flanneld",
            "etc/dnsmasq*",
            "etc/cni",
            "etc/pki/ca-trust/source/anchors",
        ],
        ["etc/origin/node"]);
}

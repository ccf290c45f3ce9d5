using System.Net;
using System.Text;
using k8s.Models;

namespace KubeRunbooks.Simulator.Runtime;

/// <summary>
/// Loopback addresses for the cluster's pods and Services: each gets its own 127.A.B.N address, A.B picked at
/// random per runtime so that clusters running at the same time on one machine (tests, other users) do not meet.
/// A pod's <c>/etc/hosts</c> maps <c>svc</c>, <c>svc.ns</c>, <c>svc.ns.svc</c> and <c>svc.ns.svc.cluster.local</c>
/// to the Service's address and <c>localhost</c> and its own hostname to the pod's, so a server bound to its
/// pod's and Services' addresses at the Service's target port is reached by name from every pod, at real ports.
/// </summary>
internal sealed class ServiceAddressBook
{
    private readonly object _gate = new();
    private readonly Dictionary<string, IPAddress> _addresses = new(StringComparer.Ordinal);
    private readonly int _a;
    private int _next;

    /// <summary>Creates an address book with a random block of 127.0.0.0/8.</summary>
    public ServiceAddressBook()
    {
        _a = Random.Shared.Next(64, 250);
        _next = Random.Shared.Next(0, 200) * 256 + 2;
    }

    /// <summary>The pod's own address.</summary>
    public IPAddress PodAddress(string ns, string pod) => AddressOf($"pod/{ns}/{pod}");

    /// <summary>The Service's address.</summary>
    public IPAddress ServiceAddress(string ns, string service) => AddressOf($"svc/{ns}/{service}");

    /// <summary>The Services of the pod's namespace that select it (labels match a non-empty selector).</summary>
    public static IReadOnlyList<ServiceEntry> Selecting(V1Pod pod, IEnumerable<ServiceEntry> services)
    {
        var ns = pod.Metadata.NamespaceProperty ?? "default";
        var labels = pod.Metadata.Labels ?? new Dictionary<string, string>();
        return services.Where(s => s.Namespace == ns && s.Selector.Count > 0 &&
                                   s.Selector.All(kv => labels.TryGetValue(kv.Key, out var v) && v == kv.Value)).ToList();
    }

    /// <summary>The hosts file of a pod: its own names, then every Service (short names only for its namespace).</summary>
    public string HostsFile(string ns, string pod, string hostname, IEnumerable<ServiceEntry> services)
    {
        var own = PodAddress(ns, pod);
        var text = new StringBuilder();
        text.Append("# Written by the simulated kubelet: this pod and the cluster's Services on loopback.\n");
        text.Append($"{own}\tlocalhost {hostname}\n");
        // No "localhost" on ::1: clients try the IPv6 address first and the pod's servers listen on its own address only.
        text.Append("::1\tip6-localhost ip6-loopback\n");
        foreach (var service in services.OrderBy(s => s.Namespace, StringComparer.Ordinal).ThenBy(s => s.Name, StringComparer.Ordinal))
        {
            var names = $"{service.Name}.{service.Namespace} {service.Name}.{service.Namespace}.svc {service.Name}.{service.Namespace}.svc.cluster.local";
            if (service.Namespace == ns) names = service.Name + " " + names;
            text.Append($"{ServiceAddress(service.Namespace, service.Name)}\t{names}\n");
        }
        return text.ToString();
    }

    private IPAddress AddressOf(string key)
    {
        lock (_gate)
        {
            if (_addresses.TryGetValue(key, out var known)) return known;
            if (_next % 256 is 0 or 255) _next += _next % 256 == 0 ? 2 : 3; // skip .0, .1 and .255 of each block
            var address = new IPAddress(new byte[] { 127, (byte)_a, (byte)(_next / 256 % 256), (byte)(_next % 256) });
            _next++;
            _addresses[key] = address;
            return address;
        }
    }
}

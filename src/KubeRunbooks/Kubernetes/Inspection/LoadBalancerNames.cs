using System.Net;
using System.Net.Sockets;
using k8s;

namespace KubeRunbooks.Kubernetes.Inspection;

/// <summary>The seed's <c>kubectl get svc -A</c> then a name lookup: each LoadBalancer Service's DNS name resolves.</summary>
public static class LoadBalancerNames
{
    /// <summary>One check over every LoadBalancer Service of the cluster (an address without a name needs no lookup).</summary>
    public static async Task<CheckResult> CheckAsync(IKubernetes client, Func<string, CancellationToken, Task<IPAddress[]>>? resolve = null, CancellationToken cancellationToken = default)
    {
        resolve ??= Dns.GetHostAddressesAsync;
        var services = await client.CoreV1.ListServiceForAllNamespacesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var balancers = services.Items.Where(s => s.Spec?.Type == "LoadBalancer").ToList();
        if (balancers.Count == 0) return new CheckResult("load balancer names", true, "no LoadBalancer service on the cluster");
        var found = new List<string>();
        var bad = new List<string>();
        foreach (var service in balancers)
        {
            var id = $"{service.Metadata.NamespaceProperty}/{service.Metadata.Name}";
            var ingress = service.Status?.LoadBalancer?.Ingress ?? [];
            if (ingress.Count == 0) bad.Add($"{id} has no load balancer address yet");
            foreach (var entry in ingress)
            {
                if (entry.Hostname is not { Length: > 0 } host)
                {
                    found.Add($"{id} {entry.Ip}");
                    continue;
                }

                try
                {
                    var addresses = await resolve(host, cancellationToken).ConfigureAwait(false);
                    if (addresses.Length == 0) bad.Add($"{id} {host} resolves to nothing");
                    else found.Add($"{id} {host} -> {addresses[0]}");
                }
                catch (SocketException e)
                {
                    bad.Add($"{id} {host} does not resolve ({e.SocketErrorCode})");
                }
            }
        }

        return bad.Count == 0 ? new CheckResult("load balancer names", true, string.Join("; ", found)) : new CheckResult("load balancer names", false, string.Join("; ", bad));
    }
}

using System.Net;
using Berth.Client.Informers;
using k8s.Models;

namespace Berth.Node.Resolver;

/// <summary>Where a ClusterFirst pod's nameservers come from.</summary>
internal static class ClusterDns
{
    /// <summary>The cluster DNS Service every Kubernetes distribution names so (the DNS issue's server keeps it).</summary>
    public const string ServiceNamespace = "kube-system";
    public const string ServiceName = "kube-dns";

    /// <summary>
    /// The kubelet's <c>--cluster-dns</c> when given; otherwise (a Berth convenience: no flag to keep in step with the
    /// service CIDR) the ClusterIPs of <c>kube-system/kube-dns</c> as the agent's Service informer has them now. Empty
    /// when neither exists.
    /// </summary>
    public static IReadOnlyList<string> Addresses(IReadOnlyList<IPAddress> configured, ILister<V1Service> services)
    {
        if (configured.Count > 0)
        {
            return [.. configured.Select(ip => ip.ToString())];
        }

        var spec = services.Get(ServiceNamespace, ServiceName)?.Spec;
        if (spec is null)
        {
            return [];
        }

        var ips = spec.ClusterIPs is { Count: > 0 } all ? all : spec.ClusterIP is { } one ? [one] : [];
        return [.. ips.Where(ip => IPAddress.TryParse(ip, out _))]; // not "None" (headless) nor empty
    }
}

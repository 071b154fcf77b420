using k8s.Models;

namespace Berth.Node.Resolver;

/// <summary>What a pod's resolver configuration is made from.</summary>
internal sealed record PodDnsInput
{
    public required V1Pod Pod { get; init; }

    /// <summary>The node's resolver configuration (<c>--resolv-conf</c>); null when that flag is empty.</summary>
    public required ResolvConf? Host { get; init; }

    /// <summary>The cluster DNS addresses (<c>--cluster-dns</c>, or the ClusterIPs of <c>kube-system/kube-dns</c>); may be empty.</summary>
    public required IReadOnlyList<string> ClusterDns { get; init; }

    /// <summary>The cluster domain (<c>--cluster-domain</c>); empty leaves the cluster's search domains out.</summary>
    public required string ClusterDomain { get; init; }

    /// <summary>The node's addresses: a <c>Default</c> pod without a node resolv.conf asks the local machine (127.0.0.1 / ::1).</summary>
    public required IReadOnlyList<System.Net.IPAddress> NodeIPs { get; init; }

    /// <summary>The pod as the kubelet's format.Pod prints it (<c>name_namespace(uid)</c>), for event messages.</summary>
    public required string PodDescription { get; init; }
}

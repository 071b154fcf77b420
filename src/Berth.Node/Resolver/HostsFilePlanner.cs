using System.Text;
using k8s.Models;

namespace Berth.Node.Resolver;

/// <summary>
/// The kubelet-managed <c>/etc/hosts</c> of a pod (pkg/kubelet/kubelet_pods.go <c>managedHostsFileContent</c>,
/// <c>nodeHostsFileContent</c>, <c>hostsEntriesFromHostAliases</c>), byte for byte. Pure.
/// </summary>
internal static class HostsFilePlanner
{
    public const string Header = "# Kubernetes-managed hosts file.\n";
    public const string HostNetworkHeader = "# Kubernetes-managed hosts file (host network).\n";

    /// <summary>
    /// A pod on the pod network: localhost and the IPv6 boilerplate, then per pod IP <c>&lt;ip&gt;\t&lt;hostname&gt;</c> (or
    /// <c>&lt;ip&gt;\t&lt;hostname&gt;.&lt;domain&gt;\t&lt;hostname&gt;</c> with a subdomain), then the host aliases.
    /// </summary>
    public static string Managed(IReadOnlyList<string> podIPs, string hostname, string domain, IList<V1HostAlias>? aliases)
    {
        ArgumentNullException.ThrowIfNull(podIPs);
        var text = new StringBuilder(Header)
            .Append("127.0.0.1\tlocalhost\n")
            .Append("::1\tlocalhost ip6-localhost ip6-loopback\n")
            .Append("fe00::0\tip6-localnet\n")
            .Append("fe00::0\tip6-mcastprefix\n")
            .Append("fe00::1\tip6-allnodes\n")
            .Append("fe00::2\tip6-allrouters\n");
        foreach (var ip in podIPs)
        {
            text.Append(ip).Append('\t');
            if (domain.Length > 0)
            {
                text.Append(hostname).Append('.').Append(domain).Append('\t');
            }

            text.Append(hostname).Append('\n');
        }

        return AppendAliases(text, aliases).ToString();
    }

    /// <summary>A hostNetwork pod: the node's hosts file under its own header, then the host aliases.</summary>
    public static string HostNetwork(string nodeHosts, IList<V1HostAlias>? aliases) =>
        AppendAliases(new StringBuilder(HostNetworkHeader).Append(nodeHosts), aliases).ToString();

    /// <summary>One line per alias IP with all its host names, tab-separated, under a comment.</summary>
    private static StringBuilder AppendAliases(StringBuilder text, IList<V1HostAlias>? aliases)
    {
        if (aliases is null || aliases.Count == 0)
        {
            return text;
        }

        text.Append("\n# Entries added by HostAliases.\n");
        foreach (var alias in aliases)
        {
            text.Append(alias.Ip).Append('\t').AppendJoin('\t', alias.Hostnames ?? []).Append('\n');
        }

        return text;
    }
}

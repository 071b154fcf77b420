using System.Net.Sockets;
using k8s.Models;

namespace Berth.Node.Resolver;

/// <summary>
/// A pod's resolver configuration, as the kubelet's <c>Configurer.GetPodDNS</c> (pkg/kubelet/network/dns/dns.go)
/// makes it: the base from <c>dnsPolicy</c>, then <c>dnsConfig</c> appended (duplicates dropped, options merged by
/// name), then cut to the resolver's limits with a <c>DNSConfigForming</c> warning. Pure: no files, no clock.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>ClusterFirst</c> (the default; also anything unknown): the cluster DNS addresses, search
/// <c>&lt;ns&gt;.svc.&lt;zone&gt; svc.&lt;zone&gt; &lt;zone&gt;</c> + the node's search domains, <c>options ndots:5</c> (the
/// node's options are not kept). Without a cluster DNS address: <c>MissingClusterDNS</c> warnings about the node and
/// the pod, then <c>Default</c>. A hostNetwork pod gets <c>Default</c> (<c>ClusterFirstWithHostNet</c> keeps
/// <c>ClusterFirst</c>).</item>
/// <item><c>Default</c>: the node's resolv.conf; without one (<c>--resolv-conf=""</c>) <c>nameserver 127.0.0.1</c>
/// (::1 for an IPv6 node) and <c>search .</c>.</item>
/// <item><c>None</c>: only <c>dnsConfig</c>.</item>
/// </list>
/// One deliberate difference: the kubelet builds the merged options in a Go map, so their order varies from pod to
/// pod; here the base's options keep their order and new names follow in <c>dnsConfig</c>'s order.
/// </remarks>
internal static class PodDnsPlanner
{
    /// <summary>apis/core/validation MaxDNSNameservers: glibc reads three.</summary>
    public const int MaxNameservers = 3;

    /// <summary>MaxDNSSearchPathsExpanded (KEP-2595, GA in 1.28).</summary>
    public const int MaxSearchPaths = 32;

    /// <summary>MaxDNSSearchListCharsExpanded (KEP-2595).</summary>
    public const int MaxSearchListChars = 2048;

    /// <summary>DNS1123SubdomainMaxLength: a longer search domain makes some resolvers (glibc 2.28) abort.</summary>
    public const int MaxSearchLength = 253;

    public const string ClusterFirst = "ClusterFirst";
    public const string ClusterFirstWithHostNet = "ClusterFirstWithHostNet";
    public const string Default = "Default";
    public const string None = "None";

    private static readonly string[] _defaultOptions = ["ndots:5"];

    private enum Kind
    {
        Cluster,
        Host,
        None,
    }

    public static PodDnsPlan Plan(PodDnsInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var events = new List<PlannedEvent>();
        var spec = input.Pod.Spec;
        var host = input.Host ?? ResolvConf.Empty;
        List<string> servers = [.. host.Nameservers];
        List<string> searches = [.. host.Searches];
        List<string> options = [.. host.Options];

        var kind = KindOf(spec);
        if (kind == Kind.None)
        {
            servers = [];
            searches = [];
            options = [];
        }
        else if (kind == Kind.Cluster && input.ClusterDns.Count > 0)
        {
            // The cluster DNS server is the pod's only nameserver; it forwards what it cannot answer.
            servers = [.. input.ClusterDns];
            searches = ClusterSearches(searches, input);
            options = [.. _defaultOptions];
        }
        else
        {
            if (kind == Kind.Cluster)
            {
                var message = $"kubelet does not have ClusterDNS IP configured and cannot create Pod using \"{ClusterFirst}\" policy. Falling back to \"{Default}\" policy.";
                events.Add(PlannedEvent.NodeWarning("MissingClusterDNS", message));
                events.Add(PlannedEvent.PodWarning("MissingClusterDNS", $"pod: \"{input.PodDescription}\". {message}"));
            }

            if (input.Host is null)
            {
                // Without a node resolv.conf: "the nameserver on the local machine", as the bind documentation says.
                servers = [.. input.NodeIPs.Select(ip => ip.AddressFamily == AddressFamily.InterNetworkV6 ? "::1" : "127.0.0.1")];
                if (servers.Count == 0)
                {
                    servers.Add("127.0.0.1");
                }

                searches = ["."];
            }
        }

        if (spec?.DnsConfig is { } extra)
        {
            servers = Distinct(servers.Concat(extra.Nameservers ?? []));
            searches = Distinct(searches.Concat(extra.Searches ?? []));
            options = MergeOptions(options, extra.Options ?? []);
        }

        servers = FitNameservers(servers, events);
        searches = FitSearches(searches, events);
        return new PodDnsPlan(new ResolvConf(servers, searches, options), events);
    }

    /// <summary>
    /// The kubelet's <c>CheckLimitsForResolvConf</c>: whether the node's search line leaves room for the cluster's three
    /// domains within the limits. Returns the Warning's message, or null when it fits.
    /// </summary>
    public static string? CheckNodeLimits(ResolvConf host, string path, string clusterDomain)
    {
        ArgumentNullException.ThrowIfNull(host);
        var domains = clusterDomain.Length > 0 ? MaxSearchPaths - 3 : MaxSearchPaths;
        if (host.Searches.Count > domains)
        {
            return $"Resolv.conf file '{path}' contains search line consisting of more than {domains} domains!";
        }

        if (host.Searches.Any(s => s.Length > MaxSearchLength))
        {
            return $"Resolv.conf file \"{path}\" contains a search path which length is more than allowed {MaxSearchLength} chars!";
        }

        if (string.Join(' ', host.Searches).Length > MaxSearchListChars)
        {
            return $"Resolv.conf file '{path}' contains search line which length is more than allowed {MaxSearchListChars} chars!";
        }

        return null;
    }

    private static Kind KindOf(V1PodSpec? spec) => spec?.DnsPolicy switch
    {
        None => Kind.None,
        ClusterFirstWithHostNet => Kind.Cluster,
        Default => Kind.Host,
        ClusterFirst or null when spec?.HostNetwork == true => Kind.Host,
        _ => Kind.Cluster, // ClusterFirst; an unknown policy falls back to it, as the kubelet's does
    };

    private static List<string> ClusterSearches(List<string> hostSearches, PodDnsInput input)
    {
        if (input.ClusterDomain.Length == 0)
        {
            return hostSearches;
        }

        var ns = input.Pod.Metadata.NamespaceProperty ?? "default";
        var zone = input.ClusterDomain;
        return Distinct(new[] { ns + ".svc." + zone, "svc." + zone, zone }.Concat(hostSearches));
    }

    /// <summary>omitDuplicates: the first of equal entries stays, in order.</summary>
    private static List<string> Distinct(IEnumerable<string> values) => [.. values.Distinct(StringComparer.Ordinal)];

    /// <summary>mergeDNSOptions: an option named again takes the new value (a <c>name:value</c> or a bare name).</summary>
    private static List<string> MergeOptions(List<string> existing, IEnumerable<V1PodDNSConfigOption> extra)
    {
        var merged = new OrderedDictionary<string, string>(StringComparer.Ordinal); // a name keeps its first place
        foreach (var option in existing)
        {
            var colon = option.IndexOf(':', StringComparison.Ordinal);
            merged[colon >= 0 ? option[..colon] : option] = colon >= 0 ? option[(colon + 1)..] : string.Empty;
        }

        foreach (var option in extra)
        {
            merged[option.Name ?? string.Empty] = option.Value ?? string.Empty;
        }

        return [.. merged.Select(o => o.Value.Length > 0 ? o.Key + ":" + o.Value : o.Key)];
    }

    /// <summary>formDNSNameserversFitsLimits.</summary>
    private static List<string> FitNameservers(List<string> servers, List<PlannedEvent> events)
    {
        if (servers.Count <= MaxNameservers)
        {
            return servers;
        }

        servers = servers[..MaxNameservers];
        events.Add(PlannedEvent.PodWarning("DNSConfigForming", "Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: " + string.Join(' ', servers)));
        return servers;
    }

    /// <summary>
    /// formDNSSearchFitsLimits: at most 32 domains, none longer than 253 characters, then domains cut from the end until
    /// the line has at most 2048 characters.
    /// </summary>
    private static List<string> FitSearches(List<string> searches, List<PlannedEvent> events)
    {
        var exceeded = false;
        if (searches.Count > MaxSearchPaths)
        {
            searches = searches[..MaxSearchPaths];
            exceeded = true;
        }

        if (searches.Exists(s => s.Length > MaxSearchLength))
        {
            searches = searches.FindAll(s => s.Length <= MaxSearchLength);
            exceeded = true;
        }

        var length = searches.Sum(s => s.Length) + Math.Max(0, searches.Count - 1);
        if (length > MaxSearchListChars)
        {
            var keep = searches.Count;
            while (keep > 0 && length > MaxSearchListChars)
            {
                keep--;
                length -= searches[keep].Length + 1;
            }

            searches = searches[..keep];
            exceeded = true;
        }

        if (exceeded)
        {
            events.Add(PlannedEvent.PodWarning("DNSConfigForming", "Search Line limits were exceeded, some search paths have been omitted, the applied search line is: " + string.Join(' ', searches)));
        }

        return searches;
    }
}

using System.CommandLine;
using System.Net;
using Berth.Node;

namespace Berth.Cli.Flags;

/// <summary>The node agent's flags, shared by <c>berth up</c> and <c>berth agent</c>.</summary>
internal sealed class AgentFlags
{
    private readonly Option<string?> _nodeName = Flag.Text("--node-name", "NAME", "the Node's name (default: the host name, lower-cased; another running berth's name is not taken)");
    private readonly Option<IPAddress?> _nodeAddress = Flag.Address("--node-address", "the Node's InternalIP (default 127.0.0.1, or the first free one)");
    private readonly Option<int?> _kubeletPort;
    private readonly Option<int?> _maxPods = Flag.Number("--max-pods", "N", "the Node's pods capacity (default 110)", 1, 100_000);
    private readonly Option<string?> _imageMap = Flag.ExistingFile("--image-map", "FILE", "YAML/JSON map from image names (tag may be *) to commands, for images without a command");
    private readonly Option<IPEndPoint?> _metrics = Flag.Endpoint("--metrics-addr", "the node's plain-HTTP /metrics and /healthz (default 127.0.0.1:0 = a free port)");
    private readonly Option<IPAddress[]> _clusterDns = Flag.Addresses("--cluster-dns", "IP", "nameserver of ClusterFirst pods (repeatable or comma-separated; default: the ClusterIP of the kube-system/kube-dns Service)");
    private readonly Option<string?> _clusterDomain = Flag.Text("--cluster-domain", "DOMAIN", "the cluster's DNS domain in pods' search path and hosts file, served by the cluster DNS (default cluster.local)");
    private readonly Option<string?> _resolvConf = Flag.Text("--resolv-conf", "FILE", "the node's resolver configuration: the base of dnsPolicy Default and the DNS's upstreams (default /etc/resolv.conf; \"\" for none)", allowEmpty: true);
    private readonly Option<string?> _podUser = Flag.Text("--pod-user", "USER[:GROUP]", "as root: whom pods run as when their securityContext names no runAsUser (names or numbers; default nobody)");
    private readonly int _defaultKubeletPort;

    /// <param name="defaultKubeletPort">10250 for <c>berth agent</c>, 0 (a free port) inside <c>berth up</c>.</param>
    public AgentFlags(int defaultKubeletPort)
    {
        _defaultKubeletPort = defaultKubeletPort;
        _kubeletPort = Flag.Port("--kubelet-port", $"HTTPS port of the agent's kubelet API (default {defaultKubeletPort}{(defaultKubeletPort == 0 ? " = a free port" : "")})");
        Group = new FlagGroup("flags of the node agent", [_nodeName, _nodeAddress, _kubeletPort, _maxPods, _imageMap, _metrics, _clusterDns, _clusterDomain, _resolvConf, _podUser]);
    }

    public FlagGroup Group { get; }

    /// <summary>The node identity the flags pin (null: not given), for the machine-wide claims.</summary>
    public (string? NodeAddress, string? NodeName) PinnedNode(ParseResult parsed) =>
        (parsed.GetValue(_nodeAddress)?.ToString(), parsed.GetValue(_nodeName));

    /// <summary>The agent's options; its state goes to <paramref name="dataDir"/>.</summary>
    public NodeAgentOptions Options(ParseResult parsed, string dataDir)
    {
        var options = new NodeAgentOptions { DataDir = dataDir, KubeletPort = parsed.GetValue(_kubeletPort) ?? _defaultKubeletPort };
        options.NodeName = parsed.GetValue(_nodeName) ?? options.NodeName;
        options.NodeAddress = parsed.GetValue(_nodeAddress) ?? options.NodeAddress;
        options.MaxPods = parsed.GetValue(_maxPods) ?? options.MaxPods;
        options.ClusterDns = parsed.GetValue(_clusterDns) ?? [];
        options.ClusterDomain = parsed.GetValue(_clusterDomain)?.TrimEnd('.') ?? options.ClusterDomain;
        if (parsed.GetValue(_resolvConf) is { } resolvConf)
        {
            options.ResolvConf = resolvConf.Length == 0 ? resolvConf : File.Exists(resolvConf) ? Path.GetFullPath(resolvConf) : throw new UsageException($"--resolv-conf: no such file: {resolvConf}");
        }

        if (parsed.GetValue(_podUser) is { } podUser)
        {
            options.PodUser = podUser;
            if (options.PodUserProblem() is { } problem)
            {
                throw new UsageException("--pod-user: " + problem);
            }
        }

        options.ImageMapFile = parsed.GetValue(_imageMap);
        return options;
    }

    /// <summary>The settings of the node's proxy and DNS, for the node <paramref name="agent"/> describes.</summary>
    public NodeServicesOptions ServicesOptions(ParseResult parsed, NodeAgentOptions agent, ProxyFlags proxy, DnsFlags dns)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(proxy);
        ArgumentNullException.ThrowIfNull(dns);
        return new NodeServicesOptions
        {
            NodeName = agent.NodeName,
            NodeAddress = agent.NodeAddress,
            MetricsAddress = parsed.GetValue(_metrics) ?? new IPEndPoint(IPAddress.Loopback, 0),
            DataDir = agent.DataDir,
            Proxy = proxy.Options(parsed, agent.NodeName, agent.NodeAddress),
            Dns = dns.Options(parsed, agent),
        };
    }
}

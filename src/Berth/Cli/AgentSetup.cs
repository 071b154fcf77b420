using System.Net;
using Berth.Node;

namespace Berth.Cli;

/// <summary>The node agent's flags, shared by <c>berth up</c> and <c>berth agent</c>.</summary>
internal static class AgentSetup
{
    public static readonly string[] Flags = ["node-name", "node-address", "kubelet-port", "max-pods", "image-map", "metrics-addr", "cluster-dns", "cluster-domain", "resolv-conf", "pod-user"];

    public const string Usage = """
        flags of the node agent (up, agent):
          --node-name NAME      the Node's name (default: the host name, lower-cased)
          --node-address IP     the Node's InternalIP (default 127.0.0.1)
          --kubelet-port PORT   HTTPS port of the agent's kubelet API (agent: 10250; up: 0 = a free port)
          --max-pods N          the Node's pods capacity (default 110)
          --image-map FILE      YAML/JSON map from image names (tag may be *) to commands, for images without a command
          --metrics-addr IP:PORT  the node's plain-HTTP /metrics and /healthz (default 127.0.0.1:0 = a free port, printed at start)
          --cluster-dns IP      nameserver of ClusterFirst pods (repeatable or comma-separated; default: the ClusterIP of
                                the kube-system/kube-dns Service)
          --cluster-domain DOMAIN  the cluster's DNS domain in pods' search path and hosts file (default cluster.local)
          --resolv-conf FILE    the node's resolver configuration, the base of dnsPolicy Default (default /etc/resolv.conf;
                                "" for none)
          --pod-user USER[:GROUP]  as root: whom pods run as when their securityContext names no runAsUser (names or
                                numbers; default nobody)
        """;

    /// <summary>The agent's options from <paramref name="parsed"/>; state goes to <paramref name="dataDir"/>.</summary>
    public static NodeAgentOptions Options(ParsedArgs parsed, string dataDir, int defaultKubeletPort)
    {
        var options = new NodeAgentOptions { DataDir = dataDir, KubeletPort = defaultKubeletPort };
        if (parsed.Get("node-name") is { } name)
        {
            options.NodeName = name;
        }

        if (parsed.Get("node-address") is { } address)
        {
            options.NodeAddress = IPAddress.TryParse(address, out var ip) ? ip : throw new UsageException($"--node-address: not an IP address: {address}");
        }

        if (parsed.Get("kubelet-port") is { } port)
        {
            options.KubeletPort = int.TryParse(port, out var p) && p is >= 0 and <= 65535 ? p : throw new UsageException($"--kubelet-port: not a port: {port}");
        }

        if (parsed.Get("max-pods") is { } max)
        {
            options.MaxPods = int.TryParse(max, out var m) && m > 0 ? m : throw new UsageException($"--max-pods: not a positive number: {max}");
        }

        var clusterDns = new List<IPAddress>();
        foreach (var value in parsed.GetAll("cluster-dns").SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            clusterDns.Add(IPAddress.TryParse(value, out var ip) ? ip : throw new UsageException($"--cluster-dns: not an IP address: {value}"));
        }

        options.ClusterDns = clusterDns;
        if (parsed.Get("cluster-domain") is { } domain)
        {
            options.ClusterDomain = domain.TrimEnd('.');
        }

        if (parsed.Get("pod-user") is { } podUser)
        {
            options.PodUser = podUser;
            if (options.PodUserProblem() is { } problem)
            {
                throw new UsageException("--pod-user: " + problem);
            }
        }

        if (parsed.Get("resolv-conf") is { } resolvConf)
        {
            options.ResolvConf = resolvConf.Length == 0 ? resolvConf : File.Exists(resolvConf) ? Path.GetFullPath(resolvConf) : throw new UsageException($"--resolv-conf: no such file: {resolvConf}");
        }

        if (parsed.Get("image-map") is { } map)
        {
            options.ImageMapFile = File.Exists(map) ? Path.GetFullPath(map) : throw new UsageException($"--image-map: no such file: {map}");
        }

        return options;
    }

    /// <summary>The settings of the node's proxy and DNS, for the node <paramref name="agent"/> describes.</summary>
    public static NodeServicesOptions ServicesOptions(ParsedArgs parsed, NodeAgentOptions agent)
    {
        var metrics = new IPEndPoint(IPAddress.Loopback, 0);
        if (parsed.Get("metrics-addr") is { } address)
        {
            metrics = IPEndPoint.TryParse(address, out var endpoint) ? endpoint : throw new UsageException($"--metrics-addr: not IP:PORT: {address}");
        }

        return new NodeServicesOptions
        {
            NodeName = agent.NodeName,
            NodeAddress = agent.NodeAddress,
            MetricsAddress = metrics,
            DataDir = agent.DataDir,
            Proxy = ProxyFlags.Options(parsed, agent.NodeName, agent.NodeAddress),
            Dns = DnsFlags.Options(parsed),
        };
    }
}

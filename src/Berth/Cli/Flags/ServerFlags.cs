using System.CommandLine;
using System.Globalization;
using System.Net;
using Berth.ApiServer;
using Berth.Controllers;

namespace Berth.Cli.Flags;

/// <summary>The flags of the API server and the controllers (<c>berth up</c>, <c>berth server</c>).</summary>
internal sealed class ServerFlags
{
    private readonly Option<int?> _apiPort = Flag.Port("--api-port", "HTTPS port of the API (default 6443; 0 picks a free port)");
    private readonly Option<IPAddress[]> _bindAddresses = Flag.Addresses("--bind-address", "IP", "an extra address to serve the API on (repeatable)");
    private readonly Option<string[]> _tlsSans = Flag.Texts("--tls-san", "NAME", "an extra name or IP for the serving certificate (repeatable)");
    private readonly Option<IPNetwork?> _serviceCidr = Flag.Cidr("--service-cidr", "where cluster IPs come from (default 127.96.0.0/12, or the first free range on this machine)");
    private readonly Option<string?> _nodePortRange = Flag.Text("--service-node-port-range", "A-B", "NodePorts (default 30000-32767)");
    private readonly Option<IPNetwork?> _lbPool = Flag.Cidr("--lb-pool", "load-balancer addresses (default 127.200.0.0/24, or the first free range)");
    private readonly Option<int?> _maxEndpoints = Flag.Number("--max-endpoints-per-slice", "N", "endpoints per EndpointSlice (default 100)", 1, 1000);
    private readonly Option<IPNetwork?> _clusterCidr = Flag.Cidr("--cluster-cidr", "where Nodes' pod CIDRs come from (default 127.244.0.0/16, or the first free range)");
    private readonly Option<int?> _nodeCidrMask = Flag.Number("--node-cidr-mask-size", "N", "prefix length of each Node's pod CIDR (default 24)", 1, 32);
    private readonly Option<TimeSpan?> _nodeGrace = Flag.Duration("--node-monitor-grace-period", "a Node silent this long becomes Unknown (default 50s)");

    public ServerFlags(DataDirFlag dataDir)
    {
        DataDir = dataDir;
        Group = new FlagGroup("flags of the API server and controllers", [dataDir.Option, _apiPort, _bindAddresses, _tlsSans, _serviceCidr, _nodePortRange, _lbPool, _maxEndpoints, _clusterCidr, _nodeCidrMask, _nodeGrace]);
    }

    public DataDirFlag DataDir { get; }

    public FlagGroup Group { get; }

    /// <summary>The ranges the flags pin (null: not given), for the machine-wide claims.</summary>
    public (string? ServiceCidr, string? ClusterCidr, string? LoadBalancerPool) PinnedRanges(ParseResult parsed) =>
        (parsed.GetValue(_serviceCidr)?.ToString(), parsed.GetValue(_clusterCidr)?.ToString(), parsed.GetValue(_lbPool)?.ToString());

    public ApiServerOptions ServerOptions(ParseResult parsed)
    {
        var options = new ApiServerOptions { DataDir = DataDir.Value(parsed) };
        options.ApiPort = parsed.GetValue(_apiPort) ?? options.ApiPort;
        foreach (var san in parsed.GetValue(_tlsSans) ?? [])
        {
            options.TlsSans.Add(san);
        }

        foreach (var address in parsed.GetValue(_bindAddresses) ?? [])
        {
            options.BindAddresses.Add(address);
        }

        options.ServiceCidr = parsed.GetValue(_serviceCidr)?.ToString() ?? options.ServiceCidr;
        options.ServiceNodePortRange = parsed.GetValue(_nodePortRange) ?? options.ServiceNodePortRange;
        Usage.Check(options.Validate);
        return options;
    }

    public ControllerOptions ControllerOptions(ParseResult parsed)
    {
        var options = new ControllerOptions();
        options.LoadBalancerPool = parsed.GetValue(_lbPool)?.ToString() ?? options.LoadBalancerPool;
        options.MaxEndpointsPerSlice = parsed.GetValue(_maxEndpoints) ?? options.MaxEndpointsPerSlice;
        options.ClusterCidr = parsed.GetValue(_clusterCidr)?.ToString() ?? options.ClusterCidr;
        options.NodeCidrMaskSize = parsed.GetValue(_nodeCidrMask) ?? options.NodeCidrMaskSize;
        options.NodeMonitorGracePeriod = parsed.GetValue(_nodeGrace) ?? options.NodeMonitorGracePeriod;
        Usage.Check(options.Validate);
        return options;
    }

    /// <summary>The API port as given (for messages), or the default.</summary>
    public string ApiPortText(ParseResult parsed) => (parsed.GetValue(_apiPort) ?? 6443).ToString(CultureInfo.InvariantCulture);
}

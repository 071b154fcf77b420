using System.Net;
using System.Net.Sockets;
using Berth.Client.Informers;
using Berth.Dns.Forwarding;
using Berth.Dns.Publishing;
using Berth.Dns.Server;
using Berth.Dns.Zone;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace Berth.Dns;

/// <summary>
/// The node's cluster DNS server: answers the cluster zone from Services, EndpointSlices and Namespaces (the
/// informers of <see cref="SharedInformers"/>), forwards other names upstream, over UDP and TCP on the kube-dns
/// ClusterIP:53 (or <see cref="ClusterDnsOptions.Address"/>), and publishes an EndpointSlice of kube-dns naming its
/// listener. Construct it before the informers start (it registers its handlers), then <see cref="StartAsync"/>.
/// </summary>
public sealed partial class ClusterDns : IAsyncDisposable
{
    private const string DnsNamespace = "kube-system";
    private const string DnsService = "kube-dns";
    private const int DnsPort = 53;

    private readonly ClusterDnsOptions _options;
    private readonly ILogger _logger;
    private readonly ILoggerFactory _loggers;
    private readonly ZoneIndex _index;
    private readonly QueryProcessor _processor;
    private readonly ClientFilter _filter;
    private readonly Forwarder _forwarder;
    private readonly DnsEndpointSlice? _slice;
    private readonly ILister<V1Service> _services;
    private readonly ILister<V1Node> _nodes;
    private readonly TaskCompletionSource<IPAddress> _dnsServiceIp = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _background = [];
    private UdpServer? _udp;
    private TcpServer? _tcp;

    public ClusterDns(SharedInformers informers, ClusterDnsOptions options, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(informers);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        options.Validate();
        _options = options;
        _loggers = loggers;
        _logger = loggers.CreateLogger("Berth.Dns");
        var serial = (uint)options.TimeProvider.GetUtcNow().ToUnixTimeSeconds();
        _index = new ZoneIndex(new ZoneConfig(options.ClusterDomain, (uint)options.Ttl.TotalSeconds, serial));
        _processor = new QueryProcessor(_index, options.MaxUdpSize);
        _filter = new ClientFilter([], allowAll: options.AllowedNetworks.Any(n => n.PrefixLength == 0));
        var upstreams = options.Upstreams.Count > 0 ? [.. options.Upstreams] : ResolvConf.Nameservers(options.ResolvConfPath);
        _forwarder = new Forwarder(
            new ForwarderOptions
            {
                Upstreams = upstreams,
                Timeout = options.ForwardTimeout,
                CacheSize = options.ForwardCacheSize,
                MaxCacheTtl = options.ForwardCacheMaxTtl,
                TimeProvider = options.TimeProvider,
            },
            loggers.CreateLogger("Berth.Dns.Forwarder"));

        var services = informers.For<V1Service>();
        var slices = informers.For<V1EndpointSlice>();
        var nodes = informers.For<V1Node>();
        _services = services.Lister;
        _nodes = nodes.Lister;
        if (options.NodeName is { } node)
        {
            _slice = new DnsEndpointSlice(informers.Client, node, nodes.Lister, slices.Lister, options.MetricsPort, options.TimeProvider, loggers.CreateLogger("Berth.Dns.EndpointSlice"));
        }

        services.AddHandler(new InformerHandler<V1Service>
        {
            Added = (s, initial) => ServiceChanged(s, publish: !initial),
            Updated = (_, s) => ServiceChanged(s, publish: true),
            Deleted = s => _index.RemoveService(s),
        });
        slices.AddHandler(new InformerHandler<V1EndpointSlice>
        {
            Added = (s, initial) => _index.SetSlice(s, publish: !initial),
            Updated = (_, s) => SliceChanged(s, deleted: false),
            Deleted = s => SliceChanged(s, deleted: true),
        });
        informers.For<V1Namespace>().AddHandler(new InformerHandler<V1Namespace>
        {
            Added = (n, initial) => _index.AddNamespace(n.Metadata.Name, publish: !initial),
            Deleted = n => _index.RemoveNamespace(n.Metadata.Name),
        });
        nodes.AddHandler(new InformerHandler<V1Node>
        {
            Added = (n, _) => NodeChanged(n),
            Updated = (_, n) => NodeChanged(n),
            Deleted = NodeChanged,
        });

        var registry = options.Registry ?? Metrics.NewCustomRegistry();
        _ = new DnsMetrics(registry, AllStats, () => _index, () => _processor, () => _forwarder);
    }

    /// <summary>Where the server listens (UDP and TCP share each address); empty until bound, or when binding failed.</summary>
    public IReadOnlyList<IPEndPoint> Endpoints => _udp is { } udp ? [udp.Endpoint] : [];

    /// <summary>The upstream resolvers names outside the cluster zone go to.</summary>
    public IReadOnlyList<IPEndPoint> Upstreams => _forwarder.Upstreams;

    /// <summary>The cluster zone, lower-case, without the trailing dot.</summary>
    public string ClusterDomain => _index.Config.Domain;

    internal ZoneIndex Zone => _index;

    /// <summary>
    /// Publishes the zone the informers have synced and binds the listeners: <see cref="ClusterDnsOptions.Address"/>,
    /// or the kube-dns ClusterIP — at once if known, else as soon as the Service appears. A bind that fails (port 53
    /// without privilege, an address not on this machine) is logged with what to do; the server stays down, never the process.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _index.Publish();
        _filter.SetNetworks(PodNetworks());
        if (_forwarder.Upstreams.Count == 0)
        {
            Log.NoUpstreams(_logger, _options.ResolvConfPath);
        }

        if (_slice is not null)
        {
            _background.Add(_slice.RunAsync(_stop.Token));
        }

        if (_options.Address is { } address)
        {
            await BindAsync(address).ConfigureAwait(false);
        }
        else if (DnsServiceIp(_services.Get(DnsNamespace, DnsService)) is { } ip)
        {
            await BindAsync(new IPEndPoint(ip, DnsPort)).ConfigureAwait(false);
        }
        else
        {
            Log.WaitingForService(_logger);
            _background.Add(BindWhenKnownAsync(_stop.Token));
        }
    }

    public async ValueTask DisposeAsync()
    {
        // The slice's sync loop stops first: it would otherwise see the deletion below and write the slice again. The
        // sockets keep answering until the slice is gone, so no client is sent to a server that no longer listens.
        await _stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_background).ConfigureAwait(false);
        if (_slice is not null && Endpoints.Count > 0)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await _slice.DeleteAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or Client.ApiException or HttpRequestException)
            {
                Log.SliceNotDeleted(_logger, e.Message);
            }
        }

        if (_udp is not null)
        {
            await _udp.DisposeAsync().ConfigureAwait(false);
        }

        if (_tcp is not null)
        {
            await _tcp.DisposeAsync().ConfigureAwait(false);
        }

        await _forwarder.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    private static IPAddress? DnsServiceIp(V1Service? service) =>
        service?.Spec?.ClusterIP is { } ip && IPAddress.TryParse(ip, out var address) ? address : null;

    private async Task BindWhenKnownAsync(CancellationToken cancellationToken)
    {
        try
        {
            var ip = await _dnsServiceIp.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            await BindAsync(new IPEndPoint(ip, DnsPort)).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task BindAsync(IPEndPoint address)
    {
        UdpServer? udp = null;
        try
        {
            udp = UdpServer.Start(address, _options.UdpSockets, _options.UdpBatch, _processor, _filter, _forwarder, _loggers.CreateLogger("Berth.Dns.Udp"));
            _tcp = TcpServer.Start(udp.Endpoint, _processor, _filter, _forwarder, _options.TcpIdleTimeout, _loggers.CreateLogger("Berth.Dns.Tcp"));
            _udp = udp;
        }
        catch (SocketException e)
        {
            if (udp is not null)
            {
                await udp.DisposeAsync().ConfigureAwait(false);
            }

            if (e.SocketErrorCode == SocketError.AccessDenied)
            {
                Log.BindNeedsPrivilege(_logger, address.ToString(), address.Port);
            }
            else
            {
                Log.BindFailed(_logger, address.ToString(), e.SocketErrorCode.ToString());
            }

            return;
        }

        var own = udp.Endpoint;
        _forwarder.Exclude([own, .. DnsServiceIp(_services.Get(DnsNamespace, DnsService)) is { } vip ? [new IPEndPoint(vip, own.Port)] : Array.Empty<IPEndPoint>()]);
        Log.Listening(_logger, own.ToString(), _options.UdpSockets, _options.ClusterDomain, string.Join(", ", _forwarder.Upstreams));
        _slice?.SetListeners([own]);
    }

    private void ServiceChanged(V1Service service, bool publish)
    {
        _index.SetService(service, publish);
        if (service.Metadata.NamespaceProperty == DnsNamespace && service.Metadata.Name == DnsService && DnsServiceIp(service) is { } ip)
        {
            _dnsServiceIp.TrySetResult(ip);
        }
    }

    private void SliceChanged(V1EndpointSlice slice, bool deleted)
    {
        if (deleted)
        {
            _index.RemoveSlice(slice);
        }
        else
        {
            _index.SetSlice(slice);
        }

        if (_slice is not null && slice.Metadata.NamespaceProperty == DnsNamespace && slice.Metadata.Name == _slice.Name)
        {
            _slice.Changed();
        }
    }

    private void NodeChanged(V1Node node)
    {
        _filter.SetNetworks(PodNetworks());
        if (node.Metadata.Name == _options.NodeName)
        {
            _slice?.Changed();
        }
    }

    /// <summary>Clients allowed besides loopback: every Node's pod CIDRs and the configured networks.</summary>
    private IEnumerable<IPNetwork> PodNetworks()
    {
        foreach (var network in _options.AllowedNetworks)
        {
            yield return network;
        }

        foreach (var node in _nodes.List())
        {
            foreach (var cidr in node.Spec?.PodCIDRs ?? (node.Spec?.PodCIDR is { } one ? [one] : []))
            {
                if (IPNetwork.TryParse(cidr, out var network))
                {
                    yield return network;
                }
            }
        }
    }

    private IEnumerable<QueryStats> AllStats()
    {
        if (_udp is { } udp)
        {
            foreach (var stats in udp.Stats)
            {
                yield return stats;
            }

            yield return udp.ForwardStats;
        }

        if (_tcp is { } tcp)
        {
            yield return tcp.Stats;
        }
    }
}

using System.Net;
using System.Net.Sockets;
using Berth.Client;
using Berth.Client.Informers;
using Berth.Client.Runners;
using Berth.Dns.Zone;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Berth.Dns.Publishing;

/// <summary>
/// Keeps one EndpointSlice of the kube-dns Service per node, naming this node's DNS listener:
/// <c>kube-system/kube-dns-&lt;node&gt;</c>, owned by the Node (so it goes when the Node goes), recreated when deleted,
/// deleted when the server stops cleanly. The kube-dns Service has no selector, so no controller writes its slices.
/// </summary>
internal sealed partial class DnsEndpointSlice
{
    /// <summary>The <c>endpointslice.kubernetes.io/managed-by</c> value of these slices.</summary>
    public const string ManagedBy = "berth-dns";

    private const string Namespace = "kube-system";

    private readonly IApiClient _api;
    private readonly string _nodeName;
    private readonly ILister<V1Node> _nodes;
    private readonly ILister<V1EndpointSlice> _slices;
    private readonly int? _metricsPort;
    private readonly ILogger _logger;
    private readonly CoalescingRunner _runner;
    private volatile IReadOnlyList<IPEndPoint> _listeners = [];

    public DnsEndpointSlice(IApiClient api, string nodeName, ILister<V1Node> nodes, ILister<V1EndpointSlice> slices, int? metricsPort, TimeProvider time, ILogger logger)
    {
        _api = api;
        _nodeName = nodeName;
        _nodes = nodes;
        _slices = slices;
        _metricsPort = metricsPort;
        _logger = logger;
        Name = "kube-dns-" + nodeName;
        _runner = new CoalescingRunner(SyncAsync, new CoalescingRunnerOptions { Name = Name, MinInterval = TimeSpan.FromMilliseconds(100), MaxInterval = TimeSpan.FromMinutes(1), TimeProvider = time }, logger);
    }

    public string Name { get; }

    /// <summary>Where the server listens; the slice names the first address.</summary>
    public void SetListeners(IReadOnlyList<IPEndPoint> listeners)
    {
        _listeners = listeners;
        _runner.Run();
    }

    /// <summary>Something the slice depends on changed (the Node appeared, the slice was changed or deleted).</summary>
    public void Changed() => _runner.Run();

    public Task RunAsync(CancellationToken cancellationToken) => _runner.LoopAsync(cancellationToken);

    public async Task DeleteAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _api.DeleteAsync<V1EndpointSlice>(Namespace, Name, null, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException e) when (e.IsNotFound)
        {
        }
    }

    private async Task SyncAsync(CancellationToken cancellationToken)
    {
        var listeners = _listeners;
        if (listeners.Count == 0 || _nodes.Get(null, _nodeName) is not { } node)
        {
            // Nothing bound yet, or the Node is not registered yet (the node's services start before its agent).
            return;
        }

        var desired = Desired(node, listeners[0]);
        var existing = _slices.Get(Namespace, Name);
        if (existing is null)
        {
            try
            {
                await _api.CreateAsync(desired, cancellationToken).ConfigureAwait(false);
                Log.Published(_logger, Name, listeners[0].ToString());
            }
            catch (ApiException e) when (e.IsAlreadyExists)
            {
                _runner.RetryAfter(TimeSpan.FromSeconds(1));
            }

            return;
        }

        if (!Matches(existing, desired))
        {
            desired.Metadata.ResourceVersion = existing.Metadata.ResourceVersion;
            await _api.UpdateAsync(desired, cancellationToken).ConfigureAwait(false);
            Log.Published(_logger, Name, listeners[0].ToString());
        }
    }

    private V1EndpointSlice Desired(V1Node node, IPEndPoint listener)
    {
        List<Discoveryv1EndpointPort> ports =
        [
            new() { Name = "dns", Protocol = "UDP", Port = listener.Port },
            new() { Name = "dns-tcp", Protocol = "TCP", Port = listener.Port },
        ];
        if (_metricsPort is { } metrics)
        {
            ports.Add(new Discoveryv1EndpointPort { Name = "metrics", Protocol = "TCP", Port = metrics });
        }

        return new V1EndpointSlice
        {
            ApiVersion = "discovery.k8s.io/v1",
            Kind = "EndpointSlice",
            Metadata = new V1ObjectMeta
            {
                Name = Name,
                NamespaceProperty = Namespace,
                Labels = new Dictionary<string, string>
                {
                    [ZoneIndex.ServiceNameLabel] = "kube-dns",
                    ["endpointslice.kubernetes.io/managed-by"] = ManagedBy,
                },
                OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "Node", Name = node.Metadata.Name, Uid = node.Metadata.Uid }],
            },
            AddressType = listener.AddressFamily == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4",
            Endpoints =
            [
                new V1Endpoint
                {
                    Addresses = [listener.Address.ToString()],
                    Conditions = new V1EndpointConditions { Ready = true, Serving = true, Terminating = false },
                    NodeName = _nodeName,
                },
            ],
            Ports = ports,
        };
    }

    private static bool Matches(V1EndpointSlice existing, V1EndpointSlice desired) =>
        existing.AddressType == desired.AddressType
        && existing.Endpoints is [{ Addresses: [var address], NodeName: var node, Conditions.Ready: true }] && address == desired.Endpoints[0].Addresses[0] && node == desired.Endpoints[0].NodeName
        && (existing.Ports ?? []).Select(p => (p.Name, p.Protocol, p.Port)).SequenceEqual(desired.Ports.Select(p => (p.Name, p.Protocol, p.Port)))
        && existing.Metadata.OwnerReferences is [{ Uid: var uid }] && uid == desired.Metadata.OwnerReferences[0].Uid
        && existing.Metadata.Labels?.TryGetValue("endpointslice.kubernetes.io/managed-by", out var managedBy) == true && managedBy == ManagedBy;

    private static partial class Log
    {
        [LoggerMessage(EventId = 5160, Level = LogLevel.Information, Message = "EndpointSlice kube-system/{Name} names this node's DNS at {Listener}")]
        public static partial void Published(ILogger logger, string name, string listener);
    }
}

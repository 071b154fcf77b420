using System.Net;
using Berth.ApiServer.Tests.Infrastructure;
using Berth.Client.Http;
using Berth.Client.Informers;
using Berth.Controllers;
using Berth.Controllers.LoadBalancer;
using k8s;
using k8s.Models;
using Prometheus;

namespace Berth.Proxy.Tests.Infrastructure;

/// <summary>
/// A real API server (its service CIDR and NodePort range from this fixture's <see cref="AddressBlock"/>), the
/// load-balancer controller (pool from the block) and a <see cref="ServiceProxy"/> for node <see cref="NodeName"/>
/// whose NodePorts listen on the block's node address and 127.0.0.1 — everything the proxy binds is the block's.
/// Tests write Services and EndpointSlices and use real sockets; endpoints live on the block's spare addresses.
/// </summary>
public sealed class ProxyFixture : IAsyncLifetime
{
    public const string NodeName = "proxy-node";
    public const string OtherNode = "other-node";

    private int _nextAddress = 9;
    private int _namespaces;
    private ControllerManager? _controllers;
    private SharedInformers? _informers;

    internal AddressBlock Block { get; } = AddressBlock.Claim();

    public BerthServer Server { get; private set; } = null!;

    public Kubernetes Client => Server.Client;

    public ServiceProxy Proxy { get; private set; } = null!;

    public CollectorRegistry Metrics { get; } = Prometheus.Metrics.NewCustomRegistry();

    /// <summary>The node's InternalIP (a NodePort address).</summary>
    public IPAddress NodeAddress => IPAddress.Parse(Block.Spare(1));

    public async Task InitializeAsync()
    {
        Server = new BerthServer(o =>
        {
            o.ServiceCidr = Block.ServiceCidr;
            o.ServiceNodePortRange = Block.NodePortRange;
        });
        await Server.InitializeAsync();
        _controllers = new ControllerManager(HttpApiClient.FromKubeconfig(Server.KubeconfigPath), new ControllerOptions
        {
            LoadBalancerPool = Block.LoadBalancerPool,
            ClusterCidr = Block.ClusterCidr,
        });
        _controllers.Add(m => new LoadBalancerController(m));
        await _controllers.StartAsync(CancellationToken.None);
        (_informers, Proxy) = await StartProxyAsync(Server, Block, Metrics);
    }

    /// <summary>A proxy for <see cref="NodeName"/> against <paramref name="server"/>, with quick syncs (a full one every 3 s) and connect timeouts.</summary>
    internal static async Task<(SharedInformers Informers, ServiceProxy Proxy)> StartProxyAsync(BerthServer server, AddressBlock block, CollectorRegistry metrics)
    {
        var informers = new SharedInformers(HttpApiClient.FromKubeconfig(server.KubeconfigPath));
        var options = new ProxyOptions
        {
            NodeName = NodeName,
            ConnectTimeout = TimeSpan.FromMilliseconds(500),
            MinSyncPeriod = TimeSpan.FromMilliseconds(10),
            SyncPeriod = TimeSpan.FromSeconds(3),
            UdpIdleTimeout = TimeSpan.FromSeconds(10),
            Metrics = metrics,
        };
        options.NodePortAddresses.Add(IPAddress.Parse(block.Spare(1)));
        options.NodePortAddresses.Add(IPAddress.Loopback);
        var proxy = new ServiceProxy(informers, options);
        await informers.StartAsync(CancellationToken.None);
        await proxy.StartAsync(CancellationToken.None);
        return (informers, proxy);
    }

    /// <summary>A spare address of the block no other test of this fixture uses (for an endpoint or a client).</summary>
    public IPAddress NewAddress() => IPAddress.Parse(Block.Spare(Interlocked.Increment(ref _nextAddress)));

    public async Task<string> NewNamespaceAsync()
    {
        var name = "p" + Interlocked.Increment(ref _namespaces) + "-" + Guid.NewGuid().ToString("N")[..6];
        await Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } });
        return name;
    }

    public async Task DisposeAsync()
    {
        if (Proxy is not null)
        {
            await Proxy.DisposeAsync();
        }

        if (_informers is not null)
        {
            await _informers.DisposeAsync();
        }

        if (_controllers is not null)
        {
            await _controllers.DisposeAsync();
        }

        await Server.DisposeAsync();
        Block.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class ProxyCollection : ICollectionFixture<ProxyFixture>
{
    public const string Name = "proxy";
}

using System.Net;
using Berth.ApiServer.Tests.Infrastructure;
using Berth.Client.Http;
using Berth.Client.Informers;
using Berth.Dns.Wire;
using Berth.Dns.Zone;
using DnsClient;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Dns.Tests.Infrastructure;

/// <summary>
/// A real API server (real SQLite store) and a <see cref="ClusterDns"/> fed by informers over HTTPS, listening on the
/// test's own address block (its <see cref="AddressBlock.DnsIp"/>, port 53 — we run as root; never 127.96.0.10),
/// forwarding to a <see cref="TestUpstream"/> on a spare address of the block. Tests make their objects in a
/// namespace of their own.
/// </summary>
public sealed class DnsCluster : IAsyncLifetime
{
    private readonly AddressBlock _block = AddressBlock.Claim();
    private HttpApiClient? _api;
    private SharedInformers? _informers;

    public BerthServer Server { get; } = new();

    public Kubernetes Client => Server.Client;

    public ClusterDns Dns { get; private set; } = null!;

    internal TestUpstream Upstream { get; private set; } = null!;

    public IPEndPoint Endpoint { get; private set; } = null!;

    /// <summary>The Node the DNS names in its EndpointSlice (a test registers it).</summary>
    public string NodeName => $"dns-node-{_block.Octet}";

    internal string Spare(int n) => _block.Spare(n);

    public async Task InitializeAsync()
    {
        await Server.InitializeAsync();
        Upstream = TestUpstream.Start(IPAddress.Parse(_block.Spare(1)));
        _api = HttpApiClient.FromKubeconfig(Server.KubeconfigPath);
        _informers = new SharedInformers(_api);
        var options = new ClusterDnsOptions
        {
            Address = new IPEndPoint(IPAddress.Parse(_block.DnsIp), 53),
            NodeName = NodeName,
            ForwardTimeout = TimeSpan.FromMilliseconds(500),
        };
        options.Upstreams.Add(Upstream.Endpoint);
        Dns = new ClusterDns(_informers, options, NullLoggerFactory.Instance);
        await _informers.StartAsync(CancellationToken.None);
        await Dns.StartAsync(CancellationToken.None);
        Endpoint = Dns.Endpoints.Single();
    }

    /// <summary>A client from an independent DNS library, over UDP (falling back to TCP on TC unless told not to) or TCP only.</summary>
    public LookupClient Lookup(bool tcp = false, bool tcpFallback = true) => new(new LookupClientOptions(new NameServer(Endpoint.Address, Endpoint.Port))
    {
        UseCache = false,
        UseTcpOnly = tcp,
        UseTcpFallback = tcpFallback,
        Retries = 1,
        Timeout = TimeSpan.FromSeconds(3),
        ThrowDnsErrors = false,
        ContinueOnDnsError = false,
        ContinueOnEmptyResponse = false,
    });

    /// <summary>A new namespace for one test.</summary>
    public async Task<string> NamespaceAsync()
    {
        var name = "t-" + Guid.NewGuid().ToString("N")[..8];
        await Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } });
        return name;
    }

    /// <summary>Waits until the informer-driven index answers <paramref name="name"/> <paramref name="type"/> as <paramref name="accept"/> wants.</summary>
    internal Task IndexedAsync(string name, Func<ZoneAnswer, bool> accept, RecordType type = RecordType.A) =>
        Eventually.TrueAsync(() => Dns.Zone.Current is { } zone && ZoneResolver.Resolve(zone, name, type) is { } answer && accept(answer), $"the zone to answer {name} {type} as expected");

    public async Task DisposeAsync()
    {
        await Dns.DisposeAsync();
        if (_informers is not null)
        {
            await _informers.DisposeAsync();
        }

        _api?.Dispose();
        await Upstream.DisposeAsync();
        await Server.DisposeAsync();
        _block.Dispose();
    }
}

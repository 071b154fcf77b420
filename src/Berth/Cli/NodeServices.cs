using System.Net;
using Berth.Cli.Start;
using Berth.Client;
using Berth.Client.Informers;
using Berth.Dns;
using Berth.Proxy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace Berth.Cli;

/// <summary>
/// What every node runs beside its agent: the service proxy and the cluster DNS. They share one set of informers
/// (Services, EndpointSlices), one metrics registry and the node's HTTP endpoint (<see cref="NodeHttpServer"/>).
/// <c>berth up</c> and <c>berth agent</c> start them before the agent, so a pod's first connection to a Service or
/// first DNS query already finds them.
/// </summary>
internal sealed partial class NodeServices : IAsyncDisposable
{
    /// <summary>The file in the node's data directory that holds the node's HTTP address (<c>berth proxy-trace</c> reads it).</summary>
    public const string AddressFile = "node-http-address";

    /// <summary>kube-dns' <c>metrics</c> port: the node's registry is also served at the DNS address, as CoreDNS serves it.</summary>
    private const int DnsMetricsPort = 9153;

    private readonly SharedInformers _informers;
    private readonly List<IAsyncDisposable> _components;
    private readonly NodeHttpServer _http;
    private readonly string? _addressFile;

    private NodeServices(SharedInformers informers, List<IAsyncDisposable> components, NodeHttpServer http, ClusterDns? dns, string? addressFile)
    {
        _informers = informers;
        _components = components;
        _http = http;
        Dns = dns;
        _addressFile = addressFile;
    }

    /// <summary>The node's cluster DNS server, or null when turned off.</summary>
    public ClusterDns? Dns { get; }

    /// <summary>The node's metrics and health endpoint.</summary>
    public IPEndPoint MetricsEndpoint => _http.Endpoint;

    /// <summary>Starts the proxy and then the DNS (each a step of <paramref name="report"/>), and the node's HTTP endpoint.</summary>
    public static async Task<NodeServices> StartAsync(IApiClient api, NodeServicesOptions options, ILoggerFactory loggers, StartReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(report);
        report.Begin("starting the service proxy");
        var registry = Metrics.NewCustomRegistry();
        var informers = new SharedInformers(api, loggers);
        var components = new List<IAsyncDisposable>();
        var routes = new List<NodeHttpServer.Route>();
        Func<bool> healthy = () => true;
        try
        {
            // The proxy and the DNS server register their informers and handlers here, before the informers start.
            options.Proxy.Metrics = registry;
            var proxy = new ServiceProxy(informers, options.Proxy, loggers);
            components.Add(proxy);
            routes.Add(new NodeHttpServer.Route("/proxy/trace", context => TraceAsync(proxy, context)));
            healthy = () => proxy.Healthy;
            ClusterDns? dns = null;
            if (options.Dns is { } dnsOptions)
            {
                dnsOptions.NodeName ??= options.NodeName;
                dnsOptions.Registry ??= registry;
                dnsOptions.MetricsPort ??= DnsMetricsPort;
                dns = new ClusterDns(informers, dnsOptions, loggers);
                components.Add(dns);
            }

            await informers.StartAsync(cancellationToken).ConfigureAwait(false);
            await proxy.StartAsync(cancellationToken).ConfigureAwait(false);
            report.Done("proxy", $"NodePorts on {string.Join(", ", options.Proxy.NodePortAddresses)}, {Spelled(options.Proxy.LoadBalancing)}");
            if (dns is not null)
            {
                report.Begin("starting the cluster DNS");
                await dns.StartAsync(cancellationToken).ConfigureAwait(false);
                await ServeDnsMetricsAsync(dns, registry, healthy, components, loggers, cancellationToken).ConfigureAwait(false);
                report.Done("DNS", dns.Endpoints is [var endpoint, ..] ? $"{endpoint} (UDP, TCP) for {dns.ClusterDomain}" : "not listening (its error is above)");
            }

            var http = await NodeHttpServer.StartAsync(options.MetricsAddress, registry, healthy, routes, cancellationToken).ConfigureAwait(false);
            var addressFile = options.DataDir is null ? null : await WriteAddressAsync(options.DataDir, http.Endpoint, cancellationToken).ConfigureAwait(false);
            return new NodeServices(informers, components, http, dns, addressFile);
        }
        catch
        {
            await DisposeAllAsync(components, informers).ConfigureAwait(false);
            throw;
        }
    }

    private static async Task ServeDnsMetricsAsync(ClusterDns dns, CollectorRegistry registry, Func<bool> healthy, List<IAsyncDisposable> components, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (dns.Endpoints is not [var endpoint, ..])
        {
            return;
        }

        try
        {
            components.Add(await NodeHttpServer.StartAsync(new IPEndPoint(endpoint.Address, DnsMetricsPort), registry, healthy, [], cancellationToken).ConfigureAwait(false));
        }
        catch (IOException e)
        {
            Log.DnsMetricsNotServed(loggers.CreateLogger("Berth.Dns"), endpoint.Address.ToString(), DnsMetricsPort, e.Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_addressFile is not null)
        {
            File.Delete(_addressFile);
        }

        await _http.DisposeAsync().ConfigureAwait(false);
        await DisposeAllAsync(_components, _informers).ConfigureAwait(false);
    }

    /// <summary><c>/proxy/trace</c>: the proxy's recent connection decisions, aligned text or (<c>?format=json</c>) JSON.</summary>
    private static Task TraceAsync(ServiceProxy proxy, HttpContext context)
    {
        var json = string.Equals(context.Request.Query["format"], "json", StringComparison.OrdinalIgnoreCase);
        context.Response.ContentType = json ? "application/json" : "text/plain; charset=utf-8";
        return context.Response.WriteAsync(proxy.RenderTrace(json), context.RequestAborted);
    }

    private static string Spelled(LoadBalancingPolicy policy) => policy switch
    {
        LoadBalancingPolicy.Random => "random",
        LoadBalancingPolicy.LeastConnections => "least connections",
        _ => "round robin",
    };

    /// <summary>Writes the node's HTTP address where <c>berth proxy-trace</c> looks for it (replaced whole, never half-written).</summary>
    private static async Task<string> WriteAddressAsync(string dataDir, IPEndPoint endpoint, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(dataDir);
        var path = Path.Combine(dataDir, AddressFile);
        var temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, endpoint + "\n", cancellationToken).ConfigureAwait(false);
        File.Move(temporary, path, overwrite: true);
        return path;
    }

    private static async Task DisposeAllAsync(List<IAsyncDisposable> components, SharedInformers informers)
    {
        for (var i = components.Count - 1; i >= 0; i--)
        {
            await components[i].DisposeAsync().ConfigureAwait(false);
        }

        await informers.DisposeAsync().ConfigureAwait(false);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5106, Level = LogLevel.Warning, Message = "Not serving metrics at the DNS address {Address}:{Port}: {Reason}")]
        public static partial void DnsMetricsNotServed(ILogger logger, string address, int port, string reason);
    }
}

using System.Net;
using Berth.Client;
using Berth.Client.Informers;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace Berth.Cli;

/// <summary>
/// What every node runs beside its agent: the service proxy and the cluster DNS. They share one set of informers
/// (Services, EndpointSlices), one metrics registry and the node's HTTP endpoint (<see cref="NodeHttpServer"/>).
/// <c>berth up</c> and <c>berth agent</c> start them before the agent, so a pod's first connection to a Service or
/// first DNS query already finds them.
/// </summary>
internal sealed class NodeServices : IAsyncDisposable
{
    private readonly SharedInformers _informers;
    private readonly List<IAsyncDisposable> _components;
    private readonly NodeHttpServer _http;

    private NodeServices(SharedInformers informers, List<IAsyncDisposable> components, NodeHttpServer http)
    {
        _informers = informers;
        _components = components;
        _http = http;
    }

    /// <summary>The node's metrics and health endpoint.</summary>
    public IPEndPoint MetricsEndpoint => _http.Endpoint;

    public static async Task<NodeServices> StartAsync(IApiClient api, NodeServicesOptions options, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var registry = Metrics.NewCustomRegistry();
        var informers = new SharedInformers(api, loggers);
        var components = new List<IAsyncDisposable>();
        var routes = new List<NodeHttpServer.Route>();
        Func<bool> healthy = () => true;
        try
        {
            // The proxy and the DNS server register their informers and handlers here, before the informers start.
            await informers.StartAsync(cancellationToken).ConfigureAwait(false);
            var http = await NodeHttpServer.StartAsync(options.MetricsAddress, registry, healthy, routes, cancellationToken).ConfigureAwait(false);
            return new NodeServices(informers, components, http);
        }
        catch
        {
            await DisposeAllAsync(components, informers).ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _http.DisposeAsync().ConfigureAwait(false);
        await DisposeAllAsync(_components, _informers).ConfigureAwait(false);
    }

    private static async Task DisposeAllAsync(List<IAsyncDisposable> components, SharedInformers informers)
    {
        for (var i = components.Count - 1; i >= 0; i--)
        {
            await components[i].DisposeAsync().ConfigureAwait(false);
        }

        await informers.DisposeAsync().ConfigureAwait(false);
    }
}

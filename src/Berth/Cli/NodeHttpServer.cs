using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace Berth.Cli;

/// <summary>
/// The node's plain-HTTP endpoint (<c>--metrics-addr</c>), kube-proxy's metrics and health ports in one:
/// <c>/metrics</c> (Prometheus text of the node's registry: proxy and DNS), <c>/healthz</c> and <c>/livez</c>, and the
/// routes the node's components add (<see cref="Route"/>).
/// </summary>
internal sealed class NodeHttpServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private NodeHttpServer(WebApplication app, IPEndPoint endpoint)
    {
        _app = app;
        Endpoint = endpoint;
    }

    /// <summary>Where it listens (the port actually bound when port 0 was asked for).</summary>
    public IPEndPoint Endpoint { get; }

    /// <summary>A GET route: <paramref name="path"/> answered by <paramref name="handler"/>.</summary>
    public sealed record Route(string Path, Func<HttpContext, Task> Handler);

    /// <param name="address">Where to listen.</param>
    /// <param name="registry">What <c>/metrics</c> exports.</param>
    /// <param name="healthy">Whether the node's data plane is healthy: <c>/healthz</c> answers 200 or 503.</param>
    /// <param name="routes">More GET routes from the node's components.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<NodeHttpServer> StartAsync(IPEndPoint address, CollectorRegistry registry, Func<bool> healthy, IEnumerable<Route> routes, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(address);
        });
        var app = builder.Build();
        app.MapGet("/metrics", async context =>
        {
            context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            await registry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
        });
        RequestDelegate health = context =>
        {
            var ok = healthy();
            context.Response.StatusCode = ok ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
            return context.Response.WriteAsync(ok ? "ok\n" : "unhealthy\n", context.RequestAborted);
        };
        app.MapGet("/healthz", health);
        app.MapGet("/livez", health);
        foreach (var route in routes)
        {
            app.MapGet(route.Path, new RequestDelegate(route.Handler));
        }

        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(bound).Port;
        return new NodeHttpServer(app, new IPEndPoint(address.Address, port));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}

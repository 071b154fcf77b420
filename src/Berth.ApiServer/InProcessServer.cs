using Berth.ApiServer.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Options;

namespace Berth.ApiServer;

/// <summary>
/// The API server's request pipeline served in memory to callers in the same process (<c>berth up</c>'s controllers,
/// node agent, proxy and DNS): ASP.NET Core's in-memory server (<see cref="TestServer"/>, the maintained
/// implementation of request and streamed-response features without a socket) runs the very middleware and router
/// Kestrel runs, so authentication, every verb, watch streaming, conflicts and Status errors are the same by
/// construction — only TCP, TLS and HTTP framing are gone.
/// </summary>
internal sealed class InProcessServer : IDisposable
{
    private readonly TestServer _server;

    private InProcessServer(TestServer server) => _server = server;

    public static async Task<InProcessServer> StartAsync(WebApplication app, CancellationToken cancellationToken)
    {
        // The same middleware as Kestrel's: WebApplication builds its pipeline again from what was registered.
        var pipeline = ((IApplicationBuilder)app).Build();
        var server = new TestServer(app.Services, Options.Create(new TestServerOptions { PreserveExecutionContext = false, AllowSynchronousIO = false }));
        await ((IServer)server).StartAsync(new Application(pipeline, app.Services), cancellationToken).ConfigureAwait(false);
        return new InProcessServer(server);
    }

    /// <summary>A handler that serves each request in memory; disposing it leaves the server running.</summary>
    public HttpMessageHandler CreateHandler() => _server.CreateHandler();

    /// <summary>
    /// A handler whose every request is from <paramref name="user"/>: the identity is a feature set on the request's
    /// context by the server itself (<see cref="InProcessIdentity"/>), not a header, so nothing a client sends over a
    /// socket can claim it.
    /// </summary>
    public HttpMessageHandler CreateHandler(UserInfo user) => _server.CreateHandler(context => context.Features.Set(new InProcessIdentity(user)));

    public void Dispose() => _server.Dispose();

    private sealed class Application(RequestDelegate pipeline, IServiceProvider services) : IHttpApplication<HttpContext>
    {
        public HttpContext CreateContext(IFeatureCollection contextFeatures) => new DefaultHttpContext(contextFeatures) { RequestServices = services };

        public Task ProcessRequestAsync(HttpContext context) => pipeline(context);

        public void DisposeContext(HttpContext context, Exception? exception)
        {
        }
    }
}

using Berth.ApiServer;
using Berth.ApiServer.Security;
using Berth.Client.Http;

namespace Berth.Cli;

/// <summary>API clients for the components that run in the API server's own process.</summary>
internal static class InProcessClients
{
    /// <summary>A client over the in-process transport, authenticated as the admin.</summary>
    public static async Task<HttpApiClient> CreateInProcessClientAsync(this ApiServerHost host, CancellationToken cancellationToken) =>
        HttpApiClient.InProcess(await host.CreateInProcessHandlerAsync(cancellationToken).ConfigureAwait(false), host.Credentials.AdminToken);

    /// <summary>A client over the in-process transport whose requests are <paramref name="user"/>'s (a node's: <see cref="UserInfo.ForNode"/>).</summary>
    public static async Task<HttpApiClient> CreateInProcessClientAsync(this ApiServerHost host, UserInfo user, CancellationToken cancellationToken) =>
        HttpApiClient.InProcess(await host.CreateInProcessHandlerAsync(user, cancellationToken).ConfigureAwait(false), bearerToken: null);
}

using Berth.ApiServer;
using Berth.Client.Http;

namespace Berth.Cli;

/// <summary>API clients for the components that run in the API server's own process.</summary>
internal static class InProcessClients
{
    /// <summary>A client over the in-process transport, authenticated as the admin.</summary>
    public static async Task<HttpApiClient> CreateInProcessClientAsync(this ApiServerHost host, CancellationToken cancellationToken) =>
        HttpApiClient.InProcess(await host.CreateInProcessHandlerAsync(cancellationToken).ConfigureAwait(false), host.Credentials.AdminToken);
}

using Berth.ApiServer;
using Berth.Cli.Start;
using Berth.Controllers;
using Microsoft.Extensions.Logging;

namespace Berth.Cli;

/// <summary>
/// What <c>berth up</c> and <c>berth server</c> run: the API server, then the controllers over the Kubernetes API
/// through the in-process transport (the same request pipeline as HTTPS, without a socket or TLS).
/// </summary>
internal sealed class ControlPlane : IAsyncDisposable
{
    private readonly ApiServerHost _api;
    private readonly ControllerManager _controllers;

    private ControlPlane(ApiServerHost api, ControllerManager controllers)
    {
        _api = api;
        _controllers = controllers;
    }

    public ApiServerHost Api => _api;

    /// <summary>Completes when a controller stopped while running: the process should stop rather than half-run.</summary>
    public Task<ControllerFailure> Failed => _controllers.Failed;

    /// <summary>Starts the API server (its steps go to <paramref name="report"/>), then the controllers.</summary>
    public static async Task<ControlPlane> StartAsync(ApiServerOptions apiOptions, ControllerOptions controllerOptions, ILoggerFactory loggers, StartReport report, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(apiOptions);
        ArgumentNullException.ThrowIfNull(report);
        report.Begin("starting the API server");
        apiOptions.StartProgress = report;
        var api = await ApiServerHost.StartAsync(apiOptions, loggers, ct).ConfigureAwait(false);
        try
        {
            report.Done("API", $"{api.Url} answering; kubeconfig written");
            report.Begin("starting the controllers");
            if (controllerOptions.RootCaPem.Length == 0)
            {
                controllerOptions.RootCaPem = api.Credentials.CaPem;
            }

            var manager = new ControllerManager(await api.CreateInProcessClientAsync(ct).ConfigureAwait(false), controllerOptions, loggers);
            ControllerSet.AddAll(manager);
            try
            {
                await manager.StartAsync(ct).ConfigureAwait(false);
            }
            catch
            {
                await manager.DisposeAsync().ConfigureAwait(false);
                throw;
            }

            report.Done("controllers", $"{manager.Controllers.Count} running, caches synced");
            return new ControlPlane(api, manager);
        }
        catch
        {
            await api.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _controllers.DisposeAsync().ConfigureAwait(false);
        await _api.DisposeAsync().ConfigureAwait(false);
    }
}

using Berth.ApiServer;
using Berth.Client;
using Berth.Client.Http;
using Berth.Controllers;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Berth.Controllers.Tests.Integration;

/// <summary>
/// A real API server (HTTPS on a free loopback port, real SQLite file in a temporary directory) and an
/// <see cref="HttpApiClient"/> for one test class. Tests start the controllers they exercise with
/// <see cref="StartAsync"/>; with no node agent yet, a test plays the kubelet by writing pod status through the API.
/// </summary>
public sealed class ControlPlaneFixture : IAsyncLifetime
{
    private ApiServerHost? _host;
    private int _namespaces;

    public string DataDir { get; } = Path.Combine(Path.GetTempPath(), "berth-ctrl-test-" + Guid.NewGuid().ToString("N")[..12]);

    public ApiServerHost Host => _host ?? throw new InvalidOperationException("not started");

    public HttpApiClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var options = new ApiServerOptions { DataDir = DataDir, ApiPort = 0, BookmarkInterval = TimeSpan.FromMilliseconds(500) };
        _host = await ApiServerHost.StartAsync(options, null, CancellationToken.None);
        Client = HttpApiClient.FromKubeconfig(Host.KubeconfigPath);
    }

    /// <summary>Starts a controller manager with the given controllers; dispose it to stop them.</summary>
    public Task<ControllerManager> StartAsync(ControllerOptions? options, params Func<ControllerManager, IController>[] controllers) =>
        StartAsync(HttpApiClient.FromKubeconfig(Host.KubeconfigPath), options, controllers);

    /// <summary>Starts the controllers over <paramref name="client"/> (e.g. a wrapper that makes some calls fail).</summary>
    public Task<ControllerManager> StartAsync(IApiClient client, ControllerOptions? options, params Func<ControllerManager, IController>[] controllers) =>
        StartAsync(client, options, null, controllers);

    /// <summary>Starts the controllers over <paramref name="client"/>, logging to <paramref name="loggers"/>.</summary>
    public async Task<ControllerManager> StartAsync(IApiClient client, ControllerOptions? options, ILoggerFactory? loggers, params Func<ControllerManager, IController>[] controllers)
    {
        var manager = new ControllerManager(client, options ?? new ControllerOptions(), loggers);
        foreach (var c in controllers)
        {
            manager.Add(c);
        }

        await manager.StartAsync(CancellationToken.None);
        return manager;
    }

    /// <summary>Creates a namespace no other test uses.</summary>
    public async Task<string> NewNamespaceAsync()
    {
        var name = "t" + Interlocked.Increment(ref _namespaces) + "-" + Guid.NewGuid().ToString("N")[..6];
        await Client.CreateAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } }, CancellationToken.None);
        return name;
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

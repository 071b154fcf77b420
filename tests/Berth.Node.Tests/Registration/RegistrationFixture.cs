using Berth.ApiServer;
using Berth.Client.Http;
using Berth.Controllers;
using Berth.Controllers.Nodes;

namespace Berth.Node.Tests.Registration;

/// <summary>
/// A real API server (HTTPS on a free loopback port, SQLite in a temporary directory) with the node IPAM and node
/// lifecycle controllers (2 s grace period, checked every 200 ms), and a client for the agent side.
/// </summary>
public sealed class RegistrationFixture : IAsyncLifetime
{
    private ApiServerHost? _host;
    private ControllerManager? _controllers;

    public string DataDir { get; } = Path.Combine(Path.GetTempPath(), "berth-node-test-" + Guid.NewGuid().ToString("N")[..12]);

    public HttpApiClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _host = await ApiServerHost.StartAsync(new ApiServerOptions { DataDir = DataDir, ApiPort = 0, BookmarkInterval = TimeSpan.FromMilliseconds(500) }, null, CancellationToken.None);
        Client = HttpApiClient.FromKubeconfig(_host.KubeconfigPath);
        var options = new ControllerOptions
        {
            NodeMonitorGracePeriod = TimeSpan.FromSeconds(2),
            NodeMonitorPeriod = TimeSpan.FromMilliseconds(200),
            NodeStartupGracePeriod = TimeSpan.FromSeconds(2),
        };
        _controllers = new ControllerManager(HttpApiClient.FromKubeconfig(_host.KubeconfigPath), options);
        _controllers.Add(m => new NodeIpamController(m));
        _controllers.Add(m => new NodeLifecycleController(m));
        await _controllers.StartAsync(CancellationToken.None);
    }

    /// <summary>Agent options for a node no other test uses.</summary>
    public NodeAgentOptions NewAgent(TimeSpan? leaseDuration = null) => new()
    {
        NodeName = "agent-" + Guid.NewGuid().ToString("N")[..8],
        DataDir = Path.Combine(DataDir, "node"),
        LeaseDuration = leaseDuration ?? TimeSpan.FromSeconds(40),
    };

    public async Task DisposeAsync()
    {
        if (_controllers is not null)
        {
            await _controllers.DisposeAsync();
        }

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

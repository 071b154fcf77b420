using Berth.ApiServer;
using Berth.Client.Http;
using k8s.Models;

namespace Berth.Client.Tests.Infrastructure;

/// <summary>
/// A real API server for one test class (HTTPS on a free loopback port, a real SQLite store in a temporary data
/// directory removed afterwards) and an <see cref="HttpApiClient"/> built from the kubeconfig it wrote.
/// </summary>
public sealed class ApiServerFixture : IAsyncLifetime
{
    private ApiServerHost? _host;
    private int _namespaces;

    public string DataDir { get; } = Path.Combine(Path.GetTempPath(), "berth-client-test-" + Guid.NewGuid().ToString("N")[..12]);

    public ApiServerHost Host => _host ?? throw new InvalidOperationException("not started");

    public HttpApiClient Client { get; private set; } = null!;

    /// <summary>The same server through the in-process transport (what <c>berth up</c>'s components use).</summary>
    public HttpApiClient InProcessClient { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var options = new ApiServerOptions { DataDir = DataDir, ApiPort = 0, BookmarkInterval = TimeSpan.FromMilliseconds(500) };
        _host = await ApiServerHost.StartAsync(options, null, CancellationToken.None);
        Client = HttpApiClient.FromKubeconfig(Host.KubeconfigPath);
        InProcessClient = HttpApiClient.InProcess(await Host.CreateInProcessHandlerAsync(CancellationToken.None), Host.Credentials.AdminToken);
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
        InProcessClient?.Dispose();
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

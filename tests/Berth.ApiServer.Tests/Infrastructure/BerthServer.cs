using Berth.ApiServer;
using k8s;

namespace Berth.ApiServer.Tests.Infrastructure;

/// <summary>
/// A real API server for one test class: HTTPS on a free loopback port, a real SQLite file in a temporary data
/// directory (removed afterwards), and an official KubernetesClient configured from the kubeconfig Berth wrote.
/// </summary>
public sealed class BerthServer : IAsyncLifetime
{
    private readonly Action<ApiServerOptions>? _configure;
    private ApiServerHost? _host;

    public BerthServer()
    {
    }

    /// <summary>
    /// A server whose options <paramref name="configure"/> adjusts (e.g. a test's own service CIDR and NodePort range).
    /// Internal: xUnit wants a class fixture to have one public constructor.
    /// </summary>
    internal BerthServer(Action<ApiServerOptions> configure) => _configure = configure;

    public string DataDir { get; } = Path.Combine(Path.GetTempPath(), "berth-test-" + Guid.NewGuid().ToString("N")[..12]);

    public ApiServerHost Host => _host ?? throw new InvalidOperationException("not started");

    public Kubernetes Client { get; private set; } = null!;

    public string KubeconfigPath => Host.KubeconfigPath;

    public async Task InitializeAsync()
    {
        var options = new ApiServerOptions { DataDir = DataDir, ApiPort = 0, BookmarkInterval = TimeSpan.FromMilliseconds(500) };
        _configure?.Invoke(options);
        _host = await ApiServerHost.StartAsync(options, null, CancellationToken.None);
        Client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(KubeconfigPath));
    }

    /// <summary>An HttpClient that trusts the cluster CA, with the admin token unless <paramref name="token"/> says otherwise.</summary>
    public HttpClient CreateHttpClient(string? token = "admin")
    {
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, cert, _, _) => cert is not null && Host.Credentials.IsServerCertificate(cert),
        };
        var http = new HttpClient(handler) { BaseAddress = new Uri(Host.Url) };
        if (token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token == "admin" ? Host.Credentials.AdminToken : token);
        }

        return http;
    }

    /// <summary>An HttpClient that trusts the cluster CA and authenticates with <paramref name="certificate"/> (with its private key).</summary>
    public HttpClient CreateHttpClient(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate)
    {
        // SslStream wants the key in a form the platform can use for a client certificate: a PKCS#12 round trip.
        var pfx = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12(certificate.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pfx), null);
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, cert, _, _) => cert is not null && Host.Credentials.IsServerCertificate(cert),
            ClientCertificateOptions = ClientCertificateOption.Manual,
        };
        handler.ClientCertificates.Add(pfx);
        return new HttpClient(handler) { BaseAddress = new Uri(Host.Url) };
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

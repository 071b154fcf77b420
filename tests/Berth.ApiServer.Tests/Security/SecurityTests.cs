using System.Net;
using System.Security.Cryptography.X509Certificates;
using Berth.ApiServer.Tests.Infrastructure;

namespace Berth.ApiServer.Tests.Security;

public sealed class SecurityTests : IClassFixture<BerthServer>
{
    private readonly BerthServer _server;

    public SecurityTests(BerthServer server)
    {
        _server = server;
    }

    [Fact]
    public async Task Request_WithoutToken_Unauthorized()
    {
        using var http = _server.CreateHttpClient(token: null);

        using var response = await http.GetAsync("/api/v1/namespaces");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("\"reason\":\"Unauthorized\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Request_WithWrongToken_Unauthorized()
    {
        using var http = _server.CreateHttpClient(token: "not-the-token");

        using var response = await http.GetAsync("/api/v1/namespaces/default/services");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Request_HealthWithoutToken_Open()
    {
        using var http = _server.CreateHttpClient(token: null);

        Assert.Equal("ok", await http.GetStringAsync("/healthz"));
        Assert.Equal("ok", await http.GetStringAsync("/readyz"));
        Assert.Equal("ok", await http.GetStringAsync("/livez"));
    }

    [Fact]
    public async Task Request_PlainHttp_Refused()
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_server.Host.Port}"), Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _server.Host.Credentials.AdminToken);

        HttpResponseMessage? response = null;
        try
        {
            response = await http.GetAsync("/api/v1/namespaces");
        }
        catch (HttpRequestException)
        {
            // The TLS-only port drops the plain-text connection: refused, as wanted.
        }

        Assert.True(response is null || !response.IsSuccessStatusCode);
        response?.Dispose();
    }

    [Fact]
    public async Task Request_ClientCertificateFromClusterCa_Authenticated()
    {
        using var cert = _server.Host.Credentials.IssueClientCertificate("system:node:n1", ["system:nodes"], DateTimeOffset.UtcNow);
        using var http = _server.CreateHttpClient(cert);

        using var response = await http.GetAsync("/api/v1/namespaces");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Request_SelfSignedClientCertificate_Unauthorized()
    {
        using var key = System.Security.Cryptography.ECDsa.Create();
        var request = new CertificateRequest("CN=intruder", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new System.Security.Cryptography.Oid("1.3.6.1.5.5.7.3.2")], false));
        using var self = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(1));
        using var pfx = X509CertificateLoader.LoadPkcs12(self.Export(X509ContentType.Pfx), null);
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, c, _, _) => c is not null && _server.Host.Credentials.IsServerCertificate(c),
            ClientCertificateOptions = ClientCertificateOption.Manual,
        };
        handler.ClientCertificates.Add(pfx);
        using var http = new HttpClient(handler) { BaseAddress = new Uri(_server.Host.Url) };

        using var response = await http.GetAsync("/api/v1/namespaces");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("kubeconfig.yaml")]
    [InlineData("admin.token")]
    [InlineData("ca.key")]
    [InlineData("apiserver.key")]
    public void SecretFiles_AreOwnerOnly(string file)
    {
        var mode = File.GetUnixFileMode(Path.Combine(_server.DataDir, file));

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, mode);
    }
}

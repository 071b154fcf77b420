using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace Berth.ApiServer.Tests.Rest;

/// <summary>A failure inside the server answers a Kubernetes 500 that names an audit ID, never the exception.</summary>
public sealed class InternalErrorTests : IAsyncLifetime
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "berth-500-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly RecordingLoggerProvider _logs = new();
    private ILoggerFactory _loggers = null!;
    private ApiServerHost _host = null!;

    public async Task InitializeAsync()
    {
        _loggers = LoggerFactory.Create(b => b.AddProvider(_logs));
        _host = await ApiServerHost.StartAsync(new ApiServerOptions { DataDir = _dataDir, ApiPort = 0 }, _loggers, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _loggers.Dispose();
        Directory.Delete(_dataDir, recursive: true);
    }

    [Fact]
    public async Task Request_StoreFails_InternalErrorWithAuditIdAndNoExceptionText()
    {
        using var http = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, c, _, _) => c is not null && _host.Credentials.IsServerCertificate(c) })
        {
            BaseAddress = new Uri(_host.Url),
        };
        http.DefaultRequestHeaders.Authorization = new("Bearer", _host.Credentials.AdminToken);
        // Something the handlers do not expect: the store is gone under a running server.
        await _host.Store.DisposeAsync();

        using var response = await http.GetAsync("/api/v1/namespaces/default/configmaps/x");
        var status = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var auditId = Assert.Single(response.Headers.GetValues("Audit-Id"));
        Assert.Equal("InternalError", status["reason"]!.GetValue<string>());
        Assert.Equal(
            $"Internal error occurred: the server failed to handle GET /api/v1/namespaces/default/configmaps/x; its log has the cause under audit ID {auditId}",
            status["message"]!.GetValue<string>());
        var logged = Assert.Single(_logs.Messages, m => m.Contains(auditId, StringComparison.Ordinal));
        Assert.Contains("Exception", logged, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_ClientAuditId_EchoedInTheHeader()
    {
        using var http = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, c, _, _) => c is not null && _host.Credentials.IsServerCertificate(c) })
        {
            BaseAddress = new Uri(_host.Url),
        };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/healthz");
        request.Headers.Add("Audit-ID", "my-trace-1");

        using var response = await http.SendAsync(request);

        Assert.Equal("my-trace-1", Assert.Single(response.Headers.GetValues("Audit-Id")));
    }
}

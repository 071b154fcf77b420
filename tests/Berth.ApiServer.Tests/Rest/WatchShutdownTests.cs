using Microsoft.Extensions.Logging;

namespace Berth.ApiServer.Tests.Rest;

/// <summary>A client that goes away in the middle of a bookmark wait ends its watch quietly.</summary>
public sealed class WatchShutdownTests
{
    [Fact]
    public async Task ClientDisconnectDuringBookmarkWait_LogsNoFailure()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "berth-test-" + Guid.NewGuid().ToString("N")[..12]);
        var logs = new RecordingLoggerProvider();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Warning));
        var options = new ApiServerOptions { DataDir = dataDir, ApiPort = 0, BookmarkInterval = TimeSpan.FromSeconds(30) };
        try
        {
            await using (var host = await ApiServerHost.StartAsync(options, loggers, CancellationToken.None))
            {
                var credentials = host.Credentials;
                using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, cert, _, _) => cert is not null && credentials.IsServerCertificate(cert) };
                using var http = new HttpClient(handler) { BaseAddress = new Uri(host.Url) };
                http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", credentials.AdminToken);
                for (var i = 0; i < 5; i++)
                {
                    using var cts = new CancellationTokenSource();
                    using var response = await http.GetAsync("/api/v1/namespaces/default/configmaps?watch=1&allowWatchBookmarks=true&resourceVersion=1", HttpCompletionOption.ResponseHeadersRead, cts.Token);
                    Assert.True(response.IsSuccessStatusCode);
                    await cts.CancelAsync(); // the server is waiting for the next event or bookmark
                }

                await Task.Delay(500);
            }

            Assert.DoesNotContain(logs.Messages, m => m.Contains("failed", StringComparison.Ordinal) || m.Contains("Exception", StringComparison.Ordinal));
        }
        finally
        {
            try
            {
                Directory.Delete(dataDir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}

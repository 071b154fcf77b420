using System.Diagnostics;
using System.Globalization;

namespace Berth.Tests.Infrastructure;

/// <summary>A user's client of a Service: one request per new connection, and a loop of them while pods come and go.</summary>
internal static class HttpLoop
{
    public static HttpClient NewClient() => new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>GET on a new connection (Connection: close): the body.</summary>
    public static async Task<string> GetAsync(HttpClient http, Uri url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.ConnectionClose = true;
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>One request after another until stopped: how many succeeded, each failure, and who answered.</summary>
    public static async Task<(int Succeeded, List<string> Failures, HashSet<string> AnsweredBy)> RunAsync(HttpClient http, Uri url, CancellationToken stop)
    {
        var succeeded = 0;
        var failures = new List<string>();
        var answeredBy = new HashSet<string>();
        var clock = Stopwatch.StartNew();
        while (!stop.IsCancellationRequested)
        {
            try
            {
                answeredBy.Add(await GetAsync(http, url));
                succeeded++;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                failures.Add(clock.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture) + "s: " + e.Message + (e.InnerException is { } inner ? " (" + inner.Message + ")" : ""));
            }
        }

        return (succeeded, failures, answeredBy);
    }
}

using System.Diagnostics;
using System.Text;

namespace Berth.Benchmarks;

/// <summary>
/// etcd (Debian's etcd-server 3.4, started by <c>bench/etcd-peer.sh start</c> on 127.0.0.1:23790) as the peer of
/// Berth's store: the key-value store under every Kubernetes API server. Writes go through its v3 JSON gateway over
/// plain HTTP/1.1 — lighter than Berth's path (HTTPS, Kubernetes JSON, validation, defaulting), so the ratio is a
/// conservative one for Berth.
/// </summary>
internal sealed class EtcdPeer : IDisposable
{
    private readonly HttpClient _http;

    private EtcdPeer(HttpClient http)
    {
        _http = http;
    }

    public static async Task<EtcdPeer?> ConnectAsync()
    {
        var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = new Uri("http://127.0.0.1:23790") };
        try
        {
            using var response = await http.GetAsync("/health");
            if (response.IsSuccessStatusCode)
            {
                return new EtcdPeer(http);
            }
        }
        catch (HttpRequestException)
        {
        }

        Console.WriteLine("etcd peer not running (bench/etcd-peer.sh start): Berth figures only");
        http.Dispose();
        return null;
    }

    public async Task<double> PutsPerSecondAsync(int n, int concurrency, int valueBytes)
    {
        var value = Convert.ToBase64String(Encoding.UTF8.GetBytes(new string('x', valueBytes)));
        var prefix = Guid.NewGuid().ToString("N")[..8];
        var next = -1;
        var sw = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < n)
            {
                var key = Convert.ToBase64String(Encoding.UTF8.GetBytes($"/registry/configmaps/bench/{prefix}-{i}"));
                using var content = new StringContent($$"""{"key":"{{key}}","value":"{{value}}"}""", Encoding.UTF8, "application/json");
                using var response = await _http.PostAsync("/v3/kv/put", content);
                response.EnsureSuccessStatusCode();
            }
        }));
        return n / sw.Elapsed.TotalSeconds;
    }

    public void Dispose() => _http.Dispose();
}

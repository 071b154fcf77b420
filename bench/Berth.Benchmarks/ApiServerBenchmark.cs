using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Berth.ApiServer;

namespace Berth.Benchmarks;

/// <summary>
/// Whole-system figures of the API server over real HTTPS and the real SQLite store (issue 2's goals):
/// creates per second from concurrent clients, a list of 10,000 objects, and write→watch-event latency
/// seen by 100 concurrent watchers. Run: <c>dotnet run -c Release --project bench/Berth.Benchmarks -- api</c>.
/// </summary>
internal static class ApiServerBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var total = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
        var dataDir = Path.Combine(Path.GetTempPath(), "berth-bench-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            await using var host = await ApiServerHost.StartAsync(new ApiServerOptions { DataDir = dataDir, ApiPort = 0 }, null, CancellationToken.None);
            using var http = Client(host);
            Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}");

            await CreateNamespaceAsync(http, "bench");
            await CreateNamespaceAsync(http, "watch");
            using var etcd = await EtcdPeer.ConnectAsync();
            foreach (var concurrency in new[] { 1, 16, 64 })
            {
                // 20 % sequentially, 40 % each with 16 and 64 clients: the namespace ends with `total` objects to list.
                var n = concurrency == 1 ? total / 5 : total * 2 / 5;
                var rate = await CreatesPerSecondAsync(http, $"c{concurrency}-", n, concurrency);
                var peer = etcd is null ? "" : await PeerAsync(etcd, concurrency, n, rate);
                Console.WriteLine($"RESULT creates_per_s concurrency={concurrency} n={n} value={rate:F0} goal=2000 ratio={rate / 2000:F2}{peer}");
            }

            var listTimes = new List<double>();
            for (var i = 0; i < 5; i++)
            {
                var sw = Stopwatch.StartNew();
                using var response = await http.GetAsync("/api/v1/namespaces/bench/configmaps");
                var bytes = await response.Content.ReadAsByteArrayAsync();
                listTimes.Add(sw.Elapsed.TotalMilliseconds);
                if (i == 0)
                {
                    var count = JsonNode.Parse(bytes)!["items"]!.AsArray().Count;
                    Console.WriteLine($"list: {count} objects, {bytes.Length / 1024} KiB");
                }
            }

            listTimes.Sort();
            Console.WriteLine($"RESULT list_ms objects=bench value={listTimes[2]:F1} (median of 5; goal well under 1000) ratio={listTimes[2] / 1000:F3}");

            var (p50, p99, delivered, spread50, spread99) = await WatchLatencyAsync(host, http, watchers: 100, writes: 200);
            Console.WriteLine($"RESULT watch_latency_ms watchers=100 events={delivered} p50={p50:F2} p99={p99:F2} goal_p99=5 ratio={p99 / 5:F2} (from the start of the POST, so including the durable commit)");
            Console.WriteLine($"RESULT watch_fanout_spread_ms watchers=100 p50={spread50:F2} p99={spread99:F2} (each watcher's delay behind the first watcher to get the same event)");
            return 0;
        }
        finally
        {
            try
            {
                Directory.Delete(dataDir, true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static HttpClient Client(ApiServerHost host)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 256,
            SslOptions = { RemoteCertificateValidationCallback = (_, c, _, _) => c is not null && host.Credentials.IsServerCertificate(c) },
        };
        var http = new HttpClient(handler) { BaseAddress = new Uri(host.Url), Timeout = TimeSpan.FromMinutes(5) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", host.Credentials.AdminToken);
        return http;
    }

    /// <summary>The same number of writes of the same size to etcd (bench/etcd-peer.sh), at the same concurrency.</summary>
    private static async Task<string> PeerAsync(EtcdPeer etcd, int concurrency, int n, double berthRate)
    {
        var rate = await etcd.PutsPerSecondAsync(n, concurrency, 700);
        return $" etcd_puts_per_s={rate:F0} berth/etcd={berthRate / rate:F2}";
    }

    private static async Task CreateNamespaceAsync(HttpClient http, string name)
    {
        using var content = new StringContent($$$"""{"metadata":{"name":"{{{name}}}"}}""", Encoding.UTF8, "application/json");
        using var response = await http.PostAsync("/api/v1/namespaces", content);
        response.EnsureSuccessStatusCode();
    }

    private static async Task<double> CreatesPerSecondAsync(HttpClient http, string prefix, int n, int concurrency)
    {
        var next = -1;
        var sw = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < n)
            {
                var body = $$$"""{"metadata":{"name":"{{{prefix}}}{{{i}}}","labels":{"app":"bench","shard":"{{{i % 10}}}"}},"data":{"payload":"{{{new string('x', 512)}}}"}}""";
                using var content = new StringContent(body, Encoding.UTF8, "application/json");
                using var response = await http.PostAsync("/api/v1/namespaces/bench/configmaps", content);
                response.EnsureSuccessStatusCode();
            }
        }));
        return n / sw.Elapsed.TotalSeconds;
    }

    private static async Task<(double P50, double P99, int Delivered, double Spread50, double Spread99)> WatchLatencyAsync(ApiServerHost host, HttpClient http, int watchers, int writes)
    {
        var sent = new long[writes];
        var received = new List<(int Index, long At)>();
        var latencies = new List<double>();
        using var cts = new CancellationTokenSource();
        var ready = 0;
        var rv = host.Store.CurrentRevision.ToString(CultureInfo.InvariantCulture);
        var tasks = Enumerable.Range(0, watchers).Select(_ => Task.Run(async () =>
        {
            using var w = Client(host);
            using var response = await w.GetAsync($"/api/v1/namespaces/watch/configmaps?watch=true&resourceVersion={rv}", HttpCompletionOption.ResponseHeadersRead, cts.Token);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cts.Token));
            Interlocked.Increment(ref ready);
            var mine = new List<double>(writes);
            var times = new List<(int, long)>(writes);
            try
            {
                while (mine.Count < writes && await reader.ReadLineAsync(cts.Token) is { } line)
                {
                    var now = Stopwatch.GetTimestamp();
                    var name = JsonNode.Parse(line)!["object"]!["metadata"]!["name"]!.GetValue<string>();
                    var index = int.Parse(name.AsSpan(2), CultureInfo.InvariantCulture);
                    mine.Add(Stopwatch.GetElapsedTime(Volatile.Read(ref sent[index]), now).TotalMilliseconds);
                    times.Add((index, now));
                }
            }
            catch (OperationCanceledException)
            {
            }

            lock (latencies)
            {
                latencies.AddRange(mine);
                received.AddRange(times);
            }
        })).ToList();

        var waited = Stopwatch.StartNew();
        while (Volatile.Read(ref ready) < watchers)
        {
            await Task.Delay(50);
            if (waited.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException($"only {ready} of {watchers} watches started");
            }
        }

        await Task.Delay(500);
        for (var i = 0; i < writes; i++)
        {
            using var content = new StringContent($$$"""{"metadata":{"name":"w-{{{i}}}"}}""", Encoding.UTF8, "application/json");
            Volatile.Write(ref sent[i], Stopwatch.GetTimestamp());
            using var response = await http.PostAsync("/api/v1/namespaces/watch/configmaps", content);
            response.EnsureSuccessStatusCode();
            await Task.Delay(10);
        }

        cts.CancelAfter(TimeSpan.FromSeconds(10));
        await Task.WhenAll(tasks);
        latencies.Sort();
        var spread = received.GroupBy(r => r.Index)
            .SelectMany(g => { var first = g.Min(r => r.At); return g.Select(r => Stopwatch.GetElapsedTime(first, r.At).TotalMilliseconds); })
            .Order().ToList();
        return (Percentiles.At(latencies, 0.50), Percentiles.At(latencies, 0.99), latencies.Count, Percentiles.At(spread, 0.50), Percentiles.At(spread, 0.99));
    }
}

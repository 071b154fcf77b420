using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Benchmarks.ControlPlane;
using Berth.Client.Http;
using Berth.Client.Informers;

namespace Berth.Benchmarks.Proxy;

/// <summary>
/// Issue 8 at scale, against the real <c>berth server</c> process (build it first: <c>dotnet build -c Release
/// src/Berth</c>): N selector-less Services (one TCP port each, cluster IPs from 127.91.0.0/16) with a slice of M
/// endpoints each, then a <see cref="Berth.Proxy.ServiceProxy"/> in this process (its informers over HTTPS, as
/// <c>berth agent</c> runs it). Reports the first full sync, the proxy's memory (managed heap after a full GC and
/// resident set, both as the growth from before the proxy started), and one Service change among N applied — from the
/// write's acknowledgement until the moved listener accepts connections — over 200 changes.
/// Run: <c>dotnet run -c Release --project bench/Berth.Benchmarks -- proxy-scale [services=10000] [endpoints=10]</c>.
/// </summary>
internal static class ProxyScaleBenchmark
{
    private const string ServiceCidr = "127.91.0.0/16";
    private const int Namespaces = 100;
    private const int Changes = 200;

    public static async Task<int> RunAsync(string[] args)
    {
        var services = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
        var endpoints = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10;
        var berthDll = BerthServerProcess.FindBerthDll();
        if (berthDll is null)
        {
            Console.Error.WriteLine("build the server first: dotnet build -c Release src/Berth");
            return 2;
        }

        var dataDir = Path.Combine(Path.GetTempPath(), "berth-proxy-scale-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            await using var server = await BerthServerProcess.StartAsync(berthDll, dataDir, null, "--service-cidr", ServiceCidr, "--lb-pool", "127.91.255.0/24", "--cluster-cidr", "127.92.0.0/16");
            using var api = BenchApi.ForDataDir(dataDir, server.Port);
            var none = CancellationToken.None;
            Console.WriteLine($"machine: {Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Trim()}; berth server pid {server.Pid}");
            await BenchApi.ForEachAsync(Namespaces, 16, n => api.PostAsync("/api/v1/namespaces", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "ns" + n } }.ToJsonString(), none));
            var clock = Stopwatch.StartNew();
            await BenchApi.ForEachAsync(services, 32, async s =>
            {
                var ns = "ns" + (s % Namespaces);
                await api.PostAsync($"/api/v1/namespaces/{ns}/services", ServiceJson(s, 80), none);
                await api.PostAsync($"/apis/discovery.k8s.io/v1/namespaces/{ns}/endpointslices", SliceJson(s, endpoints), none);
            });
            Console.WriteLine($"RESULT proxy_scale_create services={services} endpoints_each={endpoints} seconds={clock.Elapsed.TotalSeconds:F1}");

            var heapBefore = ManagedHeap();
            var rssBefore = BerthServerProcess.StatusKib(Environment.ProcessId, "VmRSS");
            await using var informers = new SharedInformers(HttpApiClient.FromKubeconfig(Path.Combine(dataDir, "kubeconfig.yaml")));
            informers.For<k8s.Models.V1Service>();
            informers.For<k8s.Models.V1EndpointSlice>();
            clock.Restart();
            await informers.StartAsync(none);
            var synced = clock.Elapsed;

            // The informer caches (in berth shared with the node's DNS server) first; the proxy's handlers then get the
            // cache replayed, so what the proxy adds is measured on its own.
            var heapInformers = ManagedHeap();
            var rssInformers = BerthServerProcess.StatusKib(Environment.ProcessId, "VmRSS");
            var options = new Berth.Proxy.ProxyOptions { NodeName = "scale-node" };
            options.NodePortAddresses.Add(IPAddress.Loopback);
            await using var proxy = new Berth.Proxy.ServiceProxy(informers, options);
            clock.Restart();
            await proxy.StartAsync(none);
            Console.WriteLine($"RESULT proxy_scale_start informers_synced_s={synced.TotalSeconds:F2} first_full_sync_s={clock.Elapsed.TotalSeconds:F2} listeners={proxy.Backend.OpenCount} failed={proxy.Backend.FailedCount}");
            var heapProxy = ManagedHeap();
            var rssProxy = BerthServerProcess.StatusKib(Environment.ProcessId, "VmRSS");
            Console.WriteLine($"RESULT proxy_scale_memory informers_heap_mib={(heapInformers - heapBefore) / 1048576.0:F1} informers_rss_mib={(rssInformers - rssBefore) / 1024.0:F1} proxy_heap_mib={(heapProxy - heapInformers) / 1048576.0:F1} proxy_rss_mib={(rssProxy - rssInformers) / 1024.0:F1}");

            var latencies = new List<double>();
            for (var i = 0; i < Changes; i++)
            {
                var s = i * (services / Changes);
                var ns = "ns" + (s % Namespaces);
                var service = JsonDocument.Parse(await api.GetStringAsync($"/api/v1/namespaces/{ns}/services/svc-{s}", none));
                var target = new IPEndPoint(IPAddress.Parse(service.RootElement.GetProperty("spec").GetProperty("clusterIP").GetString()!), 81);
                await api.PutAsync($"/api/v1/namespaces/{ns}/services/svc-{s}", ServiceJson(s, 81, service.RootElement.GetProperty("spec").GetProperty("clusterIP").GetString()), none);
                var written = Stopwatch.GetTimestamp();
                if (!await AcceptsAsync(target, TimeSpan.FromSeconds(30)))
                {
                    Console.Error.WriteLine($"svc-{s}: {target} never opened");
                    return 1;
                }

                latencies.Add(Stopwatch.GetElapsedTime(written).TotalMilliseconds);
                await Task.Delay(250);
            }

            Console.WriteLine($"RESULT proxy_scale_change_ms {Percentiles.Summary(latencies)} (write acknowledged → listener of the changed port accepts)");
            return 0;
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

    private static string ServiceJson(int s, int port, string? clusterIP = null)
    {
        var spec = new JsonObject { ["ports"] = new JsonArray(new JsonObject { ["name"] = "http", ["port"] = port, ["targetPort"] = 8080 }) };
        if (clusterIP is not null)
        {
            spec["clusterIP"] = clusterIP;
        }

        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Service",
            ["metadata"] = new JsonObject { ["name"] = "svc-" + s, ["namespace"] = "ns" + (s % Namespaces) },
            ["spec"] = spec,
        }.ToJsonString();
    }

    private static string SliceJson(int s, int endpoints)
    {
        var list = new JsonArray();
        for (var e = 0; e < endpoints; e++)
        {
            var n = (s * endpoints) + e;
            list.Add(new JsonObject
            {
                ["addresses"] = new JsonArray($"127.93.{n / 250 % 250}.{(n % 250) + 1}"),
                ["conditions"] = new JsonObject { ["ready"] = true },
                ["nodeName"] = "scale-node",
            });
        }

        return new JsonObject
        {
            ["apiVersion"] = "discovery.k8s.io/v1",
            ["kind"] = "EndpointSlice",
            ["metadata"] = new JsonObject
            {
                ["name"] = $"svc-{s}-1",
                ["namespace"] = "ns" + (s % Namespaces),
                ["labels"] = new JsonObject { ["kubernetes.io/service-name"] = "svc-" + s },
            },
            ["addressType"] = "IPv4",
            ["ports"] = new JsonArray(new JsonObject { ["name"] = "http", ["port"] = 8080, ["protocol"] = "TCP" }),
            ["endpoints"] = list,
        }.ToJsonString();
    }

    private static long ManagedHeap()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    /// <summary>Connects to <paramref name="target"/> until it accepts (a closed port is refused in microseconds).</summary>
    private static async Task<bool> AcceptsAsync(IPEndPoint target, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                socket.Connect(target);
                return true;
            }
            catch (SocketException)
            {
                await Task.Yield();
            }
        }

        return false;
    }
}

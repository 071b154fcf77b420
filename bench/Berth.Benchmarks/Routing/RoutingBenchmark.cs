using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Berth.ApiServer;
using Berth.Benchmarks.ControlPlane;
using Berth.Client.Http;
using Berth.Client.Informers;
using Berth.Controllers;
using Berth.Proxy;
using Microsoft.Extensions.Logging;

namespace Berth.Benchmarks.Routing;

/// <summary>
/// Issue 10's end-to-end figure: a pod's Ready written → EndpointSlice → the node's proxy routing to it, measured where a
/// client meets it. The API server, every controller and a <see cref="ServiceProxy"/> run in this process over the
/// in-process transport, as in <c>berth up</c>. 100 Services × 10 pods (1,000 pods, each with a real listener on its
/// loopback pod IP) are Ready, and random pods flip Ready under churn; beside them, <see cref="Probes"/> Services of one
/// pod each flip between Ready and not ready, one at a time. A probe Service with no ready pod has no listener (refused
/// at once); with one it routes. So from the start of the status write, a thread connecting to the probe's cluster IP
/// every ~0.2 ms sees when routing changed: refused → connected (Ready) and connected → refused (not ready).
/// Run: <c>dotnet run -c Release --project bench/Berth.Benchmarks -- routing [flips=200] [churn/s=20]</c>;
/// <c>BERTH_PROXY_MIN_SYNC=100ms</c> sets the proxy's minimum sync interval.
/// </summary>
internal static class RoutingBenchmark
{
    private const string Ns = "bench";
    private const int Services = 100;
    private const int PodsPerService = 10;
    private const int Probes = 20;
    private const string ServiceCidr = "127.93.0.0/20";

    public static async Task<int> RunAsync(string[] args)
    {
        var flips = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200;
        var churnRate = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20;
        var dataDir = Path.Combine(Path.GetTempPath(), "berth-routing-" + Guid.NewGuid().ToString("N")[..8]);
        using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
        var none = CancellationToken.None;
        var listeners = new List<Socket>();
        try
        {
            await using var host = await ApiServerHost.StartAsync(new ApiServerOptions { DataDir = dataDir, ApiPort = 0, ServiceCidr = ServiceCidr }, loggers, none);
            await using var manager = new ControllerManager(HttpApiClient.InProcess(await host.CreateInProcessHandlerAsync(none), host.Credentials.AdminToken), new ControllerOptions { LoadBalancerPool = "127.93.255.0/24" }, loggers);
            ControllerSet.AddAll(manager);
            await manager.StartAsync(none);
            await using var informers = new SharedInformers(HttpApiClient.InProcess(await host.CreateInProcessHandlerAsync(none), host.Credentials.AdminToken), loggers);
            var proxyOptions = new ProxyOptions { NodeName = ClusterObjects.NodeName };
            proxyOptions.NodePortAddresses.Add(IPAddress.Loopback);
            if (Environment.GetEnvironmentVariable("BERTH_PROXY_MIN_SYNC") is { } minSync)
            {
                proxyOptions.MinSyncPeriod = TimeSpan.FromMilliseconds(double.Parse(minSync.TrimEnd('m', 's'), CultureInfo.InvariantCulture));
            }

            await using var proxy = new ServiceProxy(informers, proxyOptions, loggers);
            await informers.StartAsync(none);
            await proxy.StartAsync(none);
            using var api = new BenchApi(host.Url, host.Credentials.AdminToken, host.Credentials.CaCertificate);
            Console.WriteLine($"machine: {Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Trim()}; proxy min sync {proxyOptions.MinSyncPeriod.TotalMilliseconds} ms");

            await api.PostAsync("/api/v1/namespaces", ClusterObjects.Namespace(Ns), none);
            await api.PostAsync("/api/v1/nodes", ClusterObjects.Node(), none);
            await api.PatchAsync($"/api/v1/nodes/{ClusterObjects.NodeName}/status", ClusterObjects.NodeStatus(), none);
            var total = Services + Probes;
            await BenchApi.ForEachAsync(total, 16, i => api.PostAsync(ClusterObjects.ServicesPath(Ns), ClusterObjects.Service(Ns, i), none));
            var pods = new List<(string Ns, string Name, string Ip)>();
            for (var i = 0; i < (Services * PodsPerService) + Probes; i++)
            {
                var (service, replica) = i < Services * PodsPerService ? (i / PodsPerService, i % PodsPerService) : (Services + i - (Services * PodsPerService), 0);
                pods.Add((Ns, ClusterObjects.PodName(service, replica), ClusterObjects.PodIp(i)));
                listeners.Add(Listen(ClusterObjects.PodIp(i)));
                await api.PostAsync(ClusterObjects.PodsPath(Ns), ClusterObjects.Pod(Ns, service, replica), none);
            }

            var background = pods.Take(Services * PodsPerService).ToList();
            var probes = pods.Skip(Services * PodsPerService).ToList();
            await BenchApi.ForEachAsync(background.Count, 32, i => api.PatchAsync(ClusterObjects.PodStatusPath(Ns, background[i].Name), ClusterObjects.PodStatus(background[i].Ip, ready: true), none));
            await BenchApi.ForEachAsync(probes.Count, 16, i => api.PatchAsync(ClusterObjects.PodStatusPath(Ns, probes[i].Name), ClusterObjects.PodStatus(probes[i].Ip, ready: false), none));
            // Converged: every background Service routes (its slices were written and the proxy has them).
            for (var i = 0; i < Services; i++)
            {
                var json = await api.GetStringAsync($"{ClusterObjects.ServicesPath(Ns)}/svc-{i}", none);
                var ip = System.Text.Json.Nodes.JsonNode.Parse(json)!["spec"]!["clusterIP"]!.GetValue<string>();
                if (!await WaitRoutingAsync(new IPEndPoint(IPAddress.Parse(ip), 80), routes: true, TimeSpan.FromMinutes(2)))
                {
                    Console.Error.WriteLine($"svc-{i} ({ip}) never routed");
                    return 1;
                }
            }

            var clusterIps = new IPEndPoint[Probes];
            for (var p = 0; p < Probes; p++)
            {
                var json = await api.GetStringAsync($"{ClusterObjects.ServicesPath(Ns)}/svc-{Services + p}", none);
                var ip = System.Text.Json.Nodes.JsonNode.Parse(json)!["spec"]!["clusterIP"]!.GetValue<string>();
                clusterIps[p] = new IPEndPoint(IPAddress.Parse(ip), 80);
                if (!await WaitRoutingAsync(clusterIps[p], routes: false, TimeSpan.FromSeconds(30)))
                {
                    Console.Error.WriteLine($"probe {p}: {clusterIps[p]} still accepts with no ready pod");
                    return 1;
                }
            }

            Console.WriteLine($"setup: {background.Count} pods behind {Services} Services Ready, {Probes} one-pod probe Services not ready");
            var ready = Enumerable.Repeat(true, background.Count).ToArray();
            using var stopChurn = new CancellationTokenSource();
            var churn = new ReadyChurn(api, background, ready, new ReadyChanges(), new Random(5));
            var churning = churn.RunAsync(churnRate, TimeSpan.FromHours(1), cancellationToken: stopChurn.Token);

            var fromStart = new List<double>();
            var fromAck = new List<double>();
            var probeReady = new bool[Probes];
            var missed = 0;
            for (var f = 0; f < flips; f++)
            {
                var p = f % Probes;
                probeReady[p] = !probeReady[p];
                var watch = Stopwatch.StartNew();
                var seen = Task.Run(() => WaitRouting(clusterIps[p], probeReady[p], TimeSpan.FromSeconds(10), watch));
                await api.PatchAsync(ClusterObjects.PodStatusPath(Ns, probes[p].Name), ClusterObjects.PodStatus(probes[p].Ip, probeReady[p]), none);
                var ack = watch.Elapsed.TotalMilliseconds;
                var at = await seen;
                if (at is null)
                {
                    Console.Error.WriteLine($"flip {f}: probe {p} ({clusterIps[p]}) {(probeReady[p] ? "Ready" : "not ready")} not seen within 10 s");
                    missed++;
                    continue;
                }

                fromStart.Add(at.Value);
                fromAck.Add(Math.Max(0, at.Value - ack));
                await Task.Delay(Random.Shared.Next(20, 60));
            }

            await stopChurn.CancelAsync();
            await churning;
            Console.WriteLine($"flips: {flips} probe Ready changes ({missed} not seen within 10 s), background churn {churnRate}/s over {background.Count} pods ({churn.Failures} writes failed)");
            Console.WriteLine($"RESULT routing_ms from_write_start {Percentiles.Summary(fromStart)} goal_p99=10");
            Console.WriteLine($"RESULT routing_ms from_write_ack {Percentiles.Summary(fromAck)}");
            return missed == 0 ? 0 : 1;
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener.Dispose();
            }

            try
            {
                Directory.Delete(dataDir, true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>A pod's server: accepts and closes, on the pod IP's port 8080.</summary>
    private static Socket Listen(string ip)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        socket.Bind(new IPEndPoint(IPAddress.Parse(ip), 8080));
        socket.Listen(512);
        _ = AcceptLoopAsync(socket);
        return socket;
    }

    private static async Task AcceptLoopAsync(Socket listener)
    {
        try
        {
            while (true)
            {
                using var client = await listener.AcceptAsync();
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
    }

    /// <summary>Polls a connect to <paramref name="target"/> until it succeeds (<paramref name="routes"/>) or is refused; the time seen, or null.</summary>
    private static double? WaitRouting(IPEndPoint target, bool routes, TimeSpan timeout, Stopwatch watch)
    {
        while (watch.Elapsed < timeout)
        {
            if (Routes(target) == routes)
            {
                return watch.Elapsed.TotalMilliseconds;
            }

            Thread.Sleep(TimeSpan.FromMicroseconds(200));
        }

        return null;
    }

    private static async Task<bool> WaitRoutingAsync(IPEndPoint target, bool routes, TimeSpan timeout) =>
        await Task.Run(() => WaitRouting(target, routes, timeout, Stopwatch.StartNew())) is not null;

    private static bool Routes(IPEndPoint target)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Connect(target);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}

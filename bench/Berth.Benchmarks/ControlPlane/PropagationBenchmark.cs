using System.Diagnostics;
using System.Globalization;
using Berth.ApiServer;
using Berth.Client.Http;
using Berth.Controllers;
using Microsoft.Extensions.Logging;

namespace Berth.Benchmarks.ControlPlane;

/// <summary>
/// Issue 3's propagation figure: pod Ready condition written → EndpointSlice watch event showing it, under churn.
/// The real API server (HTTPS, SQLite in a temporary directory) and every controller of <c>berth up</c> (over loopback
/// HTTPS, as <c>berth up</c> runs them) in this process; 100 Services × 10 pods on one Ready node; the benchmark plays
/// the kubelet. Run: <c>dotnet run -c Release --project bench/Berth.Benchmarks -- propagation [seconds] [changes/s]</c>.
/// </summary>
internal static class PropagationBenchmark
{
    private const string Ns = "propagation";
    private const int Services = 100;
    private const int PodsPerService = 10;

    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 60;
        var rate = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20;
        var dataDir = Path.Combine(Path.GetTempPath(), "berth-propagation-" + Guid.NewGuid().ToString("N")[..8]);
        using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning)
            .AddFilter("Berth.Controllers.EndpointSlices", Environment.GetEnvironmentVariable("BERTH_BENCH_DEBUG") is null ? LogLevel.Warning : LogLevel.Debug));
        try
        {
            await using var host = await ApiServerHost.StartAsync(new ApiServerOptions { DataDir = dataDir, ApiPort = 0 }, loggers, CancellationToken.None);
            // The controllers' transport: in-process as in `berth up` (default), or BERTH_TRANSPORT=https for loopback HTTPS.
            var https = Environment.GetEnvironmentVariable("BERTH_TRANSPORT") == "https";
            var controllerApi = https
                ? HttpApiClient.FromKubeconfig(host.KubeconfigPath)
                : HttpApiClient.InProcess(await host.CreateInProcessHandlerAsync(CancellationToken.None), host.Credentials.AdminToken);
            Console.WriteLine($"controllers' transport: {(https ? "loopback HTTPS" : "in-process")}");
            await using var manager = new ControllerManager(controllerApi, new ControllerOptions(), loggers);
            ControllerSet.AddAll(manager);
            await manager.StartAsync(CancellationToken.None);
            using var api = new BenchApi(host.Url, host.Credentials.AdminToken, host.Credentials.CaCertificate);
            Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}");

            var setup = Stopwatch.StartNew();
            var pods = await PopulateAsync(api);
            var changes = new ReadyChanges();
            await using var watch = await SliceWatch.StartAsync(api, changes);
            if (!await SliceWatch.WaitAsync(() => watch.ReadyEndpoints == pods.Count, TimeSpan.FromMinutes(2)))
            {
                Console.Error.WriteLine($"slices did not converge: {watch.ReadyEndpoints} of {pods.Count} endpoints ready");
                return 1;
            }

            Console.WriteLine($"setup: {Services} Services x {PodsPerService} pods ready in slices after {setup.Elapsed.TotalSeconds:F1} s");

            var ready = Enumerable.Repeat(true, pods.Count).ToArray();
            var churn = new ReadyChurn(api, pods, ready, changes, new Random(3));
            var issued = await churn.RunAsync(rate, TimeSpan.FromSeconds(seconds));
            await SliceWatch.WaitAsync(() => changes.Pending == 0, TimeSpan.FromSeconds(10));
            var missed = changes.Abandon();
            var (fromStart, fromAck) = changes.Results();
            Console.WriteLine($"churn: {issued} Ready flips in {seconds} s at {rate}/s over {pods.Count} pods; {missed} never seen in a slice, {churn.Failures} writes failed");
            Console.WriteLine($"RESULT propagation_ms from_write_start {Percentiles.Summary(fromStart)} goal_p99=50");
            Console.WriteLine($"RESULT propagation_ms from_write_ack {Percentiles.Summary(fromAck)}");
            return missed == 0 ? 0 : 1;
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

    /// <summary>Namespace, Ready node, Services, pods bound to the node, then their Running/Ready status.</summary>
    private static async Task<List<(string Ns, string Name, string Ip)>> PopulateAsync(BenchApi api)
    {
        var none = CancellationToken.None;
        await api.PostAsync("/api/v1/namespaces", ClusterObjects.Namespace(Ns), none);
        await api.PostAsync("/api/v1/nodes", ClusterObjects.Node(), none);
        await api.PatchAsync($"/api/v1/nodes/{ClusterObjects.NodeName}/status", ClusterObjects.NodeStatus(), none);
        await BenchApi.ForEachAsync(Services, 16, i => api.PostAsync(ClusterObjects.ServicesPath(Ns), ClusterObjects.Service(Ns, i), none));
        var pods = new List<(string Ns, string Name, string Ip)>();
        for (var i = 0; i < Services * PodsPerService; i++)
        {
            pods.Add((Ns, ClusterObjects.PodName(i / PodsPerService, i % PodsPerService), ClusterObjects.PodIp(i)));
        }

        await BenchApi.ForEachAsync(pods.Count, 32, i => api.PostAsync(ClusterObjects.PodsPath(Ns), ClusterObjects.Pod(Ns, i / PodsPerService, i % PodsPerService), none));
        await BenchApi.ForEachAsync(pods.Count, 32, i => api.PatchAsync(ClusterObjects.PodStatusPath(Ns, pods[i].Name), ClusterObjects.PodStatus(pods[i].Ip, ready: true), none));
        return pods;
    }
}

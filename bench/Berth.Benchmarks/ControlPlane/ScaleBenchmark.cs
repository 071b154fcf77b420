using System.Diagnostics;
using System.Globalization;
using Berth.Client.Http;
using Berth.Controllers;
using Berth.Controllers.EndpointSlices;
using Microsoft.Extensions.Logging;

namespace Berth.Benchmarks.ControlPlane;

/// <summary>
/// Issue 3's scale figures against the real <c>berth server</c> process (API server + every controller; build it first
/// with <c>dotnet build -c Release src/Berth</c>): 10,000 Services and 100,000 pods over 100 namespaces, the benchmark
/// playing the kubelet. Reports creation and convergence times, the server's resident memory, a full controller resync
/// (a second ControllerManager in this process against the populated server) and one pod change → slice latency.
/// Run: <c>dotnet run -c Release --project bench/Berth.Benchmarks -- scale [services] [pods/service] [namespaces]</c>.
/// </summary>
internal static class ScaleBenchmark
{
    private const int Concurrency = 64;

    public static async Task<int> RunAsync(string[] args)
    {
        var services = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
        var podsPerService = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10;
        var namespaces = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 100;
        var berthDll = BerthServerProcess.FindBerthDll();
        if (berthDll is null)
        {
            Console.Error.WriteLine("build the server first: dotnet build -c Release src/Berth");
            return 2;
        }

        var dataDir = Path.Combine(Path.GetTempPath(), "berth-scale-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            await using var server = await BerthServerProcess.StartAsync(berthDll, dataDir);
            using var api = BenchApi.ForDataDir(dataDir, server.Port);
            Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}; berth server pid {server.Pid}");
            Console.WriteLine($"idle server: VmRSS {Mib(server.Pid, "VmRSS")} MiB");

            var layout = new ScaleLayout(services, podsPerService, namespaces);
            var changes = new ReadyChanges();
            var none = CancellationToken.None;
            await BenchApi.ForEachAsync(namespaces, 16, n => api.PostAsync("/api/v1/namespaces", ClusterObjects.Namespace(layout.Namespace(n)), none));
            await api.PostAsync("/api/v1/nodes", ClusterObjects.Node(), none);
            await api.PatchAsync($"/api/v1/nodes/{ClusterObjects.NodeName}/status", ClusterObjects.NodeStatus(), none);
            await using var watch = await SliceWatch.StartAsync(api, changes);

            var clock = Stopwatch.StartNew();
            await BenchApi.ForEachAsync(services, Concurrency, s => api.PostAsync(ClusterObjects.ServicesPath(layout.NamespaceOf(s)), ClusterObjects.Service(layout.NamespaceOf(s), s), none));
            var servicesDone = clock.Elapsed;
            Console.WriteLine($"RESULT scale_create services={services} seconds={servicesDone.TotalSeconds:F1} rate={services / servicesDone.TotalSeconds:F0}/s");
            await BenchApi.ForEachAsync(layout.Pods, Concurrency, p => api.PostAsync(ClusterObjects.PodsPath(layout.PodNamespace(p)), layout.PodJson(p), none));
            var podsDone = clock.Elapsed;
            Console.WriteLine($"RESULT scale_create pods={layout.Pods} seconds={(podsDone - servicesDone).TotalSeconds:F1} rate={layout.Pods / (podsDone - servicesDone).TotalSeconds:F0}/s");
            await BenchApi.ForEachAsync(layout.Pods, Concurrency, p => api.PatchAsync(ClusterObjects.PodStatusPath(layout.PodNamespace(p), layout.PodName(p)), layout.PodStatusJson(p, ready: true), none));
            var statusDone = clock.Elapsed;
            Console.WriteLine($"RESULT scale_create pod_status={layout.Pods} seconds={(statusDone - podsDone).TotalSeconds:F1} rate={layout.Pods / (statusDone - podsDone).TotalSeconds:F0}/s");
            if (!await SliceWatch.WaitAsync(() => watch.ReadyEndpoints == layout.Pods, TimeSpan.FromMinutes(30)))
            {
                Console.Error.WriteLine($"slices did not converge: {watch.ReadyEndpoints} of {layout.Pods} endpoints ready");
                return 1;
            }

            var converged = clock.Elapsed;
            Console.WriteLine($"RESULT scale_converge all_slices_ready_after_last_status_write_s={(converged - statusDone).TotalSeconds:F1} total_s={converged.TotalSeconds:F1} slice_events={watch.Events}");

            await Task.Delay(TimeSpan.FromSeconds(10));
            Console.WriteLine($"RESULT scale_memory server VmRSS={Mib(server.Pid, "VmRSS")} MiB VmHWM={Mib(server.Pid, "VmHWM")} MiB RssAnon={Mib(server.Pid, "RssAnon")} MiB goal<2048");

            // Slices converge before the Endpoints controller and the rest have worked off the burst: measure single
            // changes once the server is quiet (under 10 % of a core), and say how long that took.
            var quiet = await server.WaitQuietAsync(0.10, TimeSpan.FromMinutes(15));
            Console.WriteLine($"RESULT scale_quiet server_below_10pct_cpu_after_s={quiet.TotalSeconds:F0} (after convergence + 10 s) VmRSS={Mib(server.Pid, "VmRSS")} MiB");
            var ready = Enumerable.Repeat(true, layout.Pods).ToArray();
            var churn = new ReadyChurn(api, [.. Enumerable.Range(0, layout.Pods).Select(p => (layout.PodNamespace(p), layout.PodName(p), ClusterObjects.PodIp(p)))], ready, changes, new Random(5));
            var issued = await churn.RunAsync(20, TimeSpan.FromMinutes(2), count: 200);
            await SliceWatch.WaitAsync(() => changes.Pending == 0, TimeSpan.FromSeconds(10));
            var missed = changes.Abandon();
            var (fromStart, fromAck) = changes.Results();
            Console.WriteLine($"changes: {issued} Ready flips at 20/s; {missed} never seen, {churn.Failures} writes failed");
            Console.WriteLine($"RESULT scale_change_to_slice_ms from_write_start {Percentiles.Summary(fromStart)} goal_p99=10");
            Console.WriteLine($"RESULT scale_change_to_slice_ms from_write_ack {Percentiles.Summary(fromAck)}");
            Console.WriteLine($"RESULT scale_memory server_after_churn VmRSS={Mib(server.Pid, "VmRSS")} MiB VmHWM={Mib(server.Pid, "VmHWM")} MiB");

            await ResyncAsync(dataDir, services);
            Console.WriteLine($"RESULT scale_memory server_after_resync VmRSS={Mib(server.Pid, "VmRSS")} MiB VmHWM={Mib(server.Pid, "VmHWM")} MiB (it served every list to the second controller set)");
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

    /// <summary>
    /// A full resync: every controller started afresh (a second manager in this process) against the populated server,
    /// timed until its informers are synced and until the EndpointSlice controller has synced every Service and is
    /// idle. Its writes are no-ops (the server's own controllers converged already), so this is the list + compare
    /// cost. Also the controllers' managed heap (full GC before and after).
    /// </summary>
    private static async Task ResyncAsync(string dataDir, int services)
    {
        using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var clock = Stopwatch.StartNew();
        await using var manager = new ControllerManager(HttpApiClient.FromKubeconfig(Path.Combine(dataDir, "kubeconfig.yaml")), new ControllerOptions(), loggers);
        ControllerSet.AddAll(manager);
        await manager.StartAsync(CancellationToken.None);
        var synced = clock.Elapsed;
        var slices = manager.Controllers.OfType<EndpointSliceController>().Single();
        await SliceWatch.WaitAsync(() => slices.Syncs >= services && slices.IsIdle, TimeSpan.FromMinutes(10));
        var drained = clock.Elapsed;
        var heapAfter = GC.GetTotalMemory(forceFullCollection: true);
        Console.WriteLine($"RESULT scale_resync informers_synced_s={synced.TotalSeconds:F1} endpointslice_queue_drained_s={drained.TotalSeconds:F1} syncs={slices.Syncs}");
        Console.WriteLine($"RESULT scale_memory controllers_managed_heap={(heapAfter - heapBefore) / (1024 * 1024)} MiB (a second full set of controllers and informers, after a full GC)");
    }

    private static long Mib(int pid, string field) => BerthServerProcess.StatusKib(pid, field) / 1024;
}

using BenchmarkDotNet.Running;

namespace Berth.Benchmarks;

public static class Program
{
    /// <summary>
    /// <c>api [creates]</c>: whole-system API figures; <c>watch-latency</c>: store fan-out to 100 watchers;
    /// <c>propagation [seconds] [changes/s]</c> and <c>scale [services] [pods/service] [namespaces]</c>: issue 3's figures;
    /// <c>proxy-scale [services] [endpoints/service]</c>: issue 8's change latency and memory at scale;
    /// anything else goes to BenchmarkDotNet (<c>--filter *Store*</c>).
    /// </summary>
    public static async Task<int> Main(string[] args)
    {
        switch (args)
        {
            case ["api", ..]:
                return await ApiServerBenchmark.RunAsync(args[1..]);
            case ["routing", ..]:
                return await Routing.RoutingBenchmark.RunAsync(args[1..]);
            case ["propagation", ..]:
                return await ControlPlane.PropagationBenchmark.RunAsync(args[1..]);
            case ["scale", ..]:
                return await ControlPlane.ScaleBenchmark.RunAsync(args[1..]);
            case ["proxy-scale", ..]:
                return await Proxy.ProxyScaleBenchmark.RunAsync(args[1..]);
            case ["pod-start", ..]:
                return await PodStart.PodStartBenchmark.RunAsync(args[1..]);
            case ["dns-serve", ..]:
                return await Dns.DnsServeMeasurement.RunAsync(args[1..]);
            case ["dns-memory", ..]:
                return Dns.DnsMemoryMeasurement.Run(args[1..]);
            case ["watch-latency", ..]:
                await WatchLatencyMeasurement.RunAsync();
                return 0;
            default:
                BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
                return 0;
        }
    }
}

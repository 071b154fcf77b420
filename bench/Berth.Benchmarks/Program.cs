using BenchmarkDotNet.Running;

namespace Berth.Benchmarks;

public static class Program
{
    public static async Task Main(string[] args)
    {
        if (args is ["watch-latency", ..])
        {
            await WatchLatencyMeasurement.RunAsync();
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}

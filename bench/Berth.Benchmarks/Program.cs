using BenchmarkDotNet.Running;

namespace Berth.Benchmarks;

public static class Program
{
    /// <summary><c>api [creates]</c> runs the whole-system API figures; anything else goes to BenchmarkDotNet.</summary>
    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "api")
        {
            return await ApiServerBenchmark.RunAsync(args[1..]);
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}

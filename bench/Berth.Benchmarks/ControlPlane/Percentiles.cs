using System.Globalization;

namespace Berth.Benchmarks.ControlPlane;

/// <summary>p50 / p99 / max of a sample, as the benchmarks print them.</summary>
internal static class Percentiles
{
    public static double At(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];

    public static string Summary(IEnumerable<double> samples)
    {
        var sorted = samples.Order().ToList();
        return sorted.Count == 0
            ? "n=0"
            : string.Create(CultureInfo.InvariantCulture, $"p50={At(sorted, 0.50):F2} p99={At(sorted, 0.99):F2} max={sorted[^1]:F2} n={sorted.Count}");
    }
}

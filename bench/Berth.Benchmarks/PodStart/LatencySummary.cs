using System.Globalization;

namespace Berth.Benchmarks.PodStart;

/// <summary>p50 / p99 / max (nearest rank) of a set of latencies in milliseconds.</summary>
internal sealed record LatencySummary(int Count, double P50, double P99, double Max)
{
    public static LatencySummary Of(IEnumerable<double?> values)
    {
        var sorted = values.OfType<double>().Order().ToArray();
        return sorted.Length == 0
            ? new LatencySummary(0, double.NaN, double.NaN, double.NaN)
            : new LatencySummary(sorted.Length, Percentiles.At(sorted, 0.50), Percentiles.At(sorted, 0.99), sorted[^1]);
    }

    public string Describe() => string.Create(CultureInfo.InvariantCulture, $"p50={P50:F0} p99={P99:F0} max={Max:F0}");
}

using System.Globalization;

namespace Berth.Benchmarks;

/// <summary>Percentiles (nearest rank) of a sample, as every benchmark prints them.</summary>
internal static class Percentiles
{
    /// <summary>The nearest-rank <paramref name="p"/> quantile of an ascending sample; NaN when it is empty.</summary>
    public static double At(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    public static string Summary(IEnumerable<double> samples)
    {
        var sorted = samples.Order().ToList();
        return sorted.Count == 0
            ? "n=0"
            : string.Create(CultureInfo.InvariantCulture, $"p50={At(sorted, 0.50):F2} p99={At(sorted, 0.99):F2} max={sorted[^1]:F2} n={sorted.Count}");
    }
}

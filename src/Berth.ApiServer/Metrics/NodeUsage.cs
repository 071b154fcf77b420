using Berth.Core.Metrics;

namespace Berth.ApiServer.Metrics;

/// <summary>
/// A node's usage over one window: CPU as a rate (cores) between two <see cref="ResourceSample"/>s, memory as the later
/// sample's working set — what metrics-server keeps per node (pkg/storage) and serves as NodeMetrics and PodMetrics.
/// </summary>
internal sealed record NodeUsage(DateTimeOffset Timestamp, TimeSpan Window, ResourceUse? Node, IReadOnlyDictionary<(string Namespace, string Pod, string Container), ResourceUse> Containers)
{
    /// <summary>
    /// The usage between <paramref name="earlier"/> and <paramref name="later"/>. A container missing from the earlier
    /// sample, or whose CPU counter went down (it restarted), has no rate yet and is left out, as metrics-server does.
    /// </summary>
    public static NodeUsage? Between(ResourceSample earlier, ResourceSample later)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        ArgumentNullException.ThrowIfNull(later);
        var window = later.Timestamp - earlier.Timestamp;
        if (window <= TimeSpan.Zero)
        {
            return null;
        }

        var before = earlier.Containers.ToDictionary(c => (c.Namespace, c.Pod, c.Container), c => c.Usage);
        var containers = new Dictionary<(string, string, string), ResourceUse>();
        foreach (var c in later.Containers)
        {
            if (before.TryGetValue((c.Namespace, c.Pod, c.Container), out var was) && Rate(was, c.Usage, window) is { } use)
            {
                containers[(c.Namespace, c.Pod, c.Container)] = use;
            }
        }

        var node = earlier.Node is { } n0 && later.Node is { } n1 ? Rate(n0, n1, window) : null;
        return new NodeUsage(later.Timestamp, window, node, containers);
    }

    private static ResourceUse? Rate(UsageReading earlier, UsageReading later, TimeSpan window)
    {
        var seconds = later.CpuSeconds - earlier.CpuSeconds;
        return seconds < 0 ? null : new ResourceUse((long)Math.Round(seconds / window.TotalSeconds * 1e9), later.MemoryWorkingSetBytes);
    }
}

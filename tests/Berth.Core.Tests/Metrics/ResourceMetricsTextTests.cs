using Berth.Core.Metrics;

namespace Berth.Core.Tests.Metrics;

public sealed class ResourceMetricsTextTests
{
    [Fact]
    public void WriteThenParse_KeepsEveryFigure_AndEscapedLabels()
    {
        var at = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123);
        var sample = new ResourceSample(at, new UsageReading(1234.56, 8_000_000_000), [
            new ContainerUsage("default", "web-1", "main", new UsageReading(0.25, 4096)),
            new ContainerUsage("odd", "p\"q", "c\\d", new UsageReading(3, 1)),
        ]);

        var parsed = ResourceMetricsText.Parse(ResourceMetricsText.Write(sample));

        Assert.Equal(at, parsed.Timestamp);
        Assert.Equal(sample.Node, parsed.Node);
        Assert.Equal(sample.Containers, parsed.Containers);
    }

    [Fact]
    public void Parse_KubeletText_ReadsItsResourceMetrics_AndSkipsTheRest()
    {
        // As the kubelet's /metrics/resource prints them (v1.32), with metrics this format does not use.
        const string text = """
            # HELP container_cpu_usage_seconds_total [STABLE] Cumulative cpu time consumed by the container in core-seconds
            # TYPE container_cpu_usage_seconds_total counter
            container_cpu_usage_seconds_total{container="coredns",namespace="kube-system",pod="coredns-1"} 12.5 1700000001000
            # TYPE container_memory_working_set_bytes gauge
            container_memory_working_set_bytes{container="coredns",namespace="kube-system",pod="coredns-1"} 1.8657280e+07 1700000001000
            container_start_time_seconds{container="coredns",namespace="kube-system",pod="coredns-1"} 1.7e+09 1700000000000
            node_cpu_usage_seconds_total 100.25 1700000002000
            node_memory_working_set_bytes 5.0e+08 1700000002000
            scrape_error 0
            """;

        var parsed = ResourceMetricsText.Parse(text);

        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_002_000), parsed.Timestamp);
        Assert.Equal(new UsageReading(100.25, 500_000_000), parsed.Node);
        Assert.Equal(new ContainerUsage("kube-system", "coredns-1", "coredns", new UsageReading(12.5, 18_657_280)), Assert.Single(parsed.Containers));
    }

    [Fact]
    public void Parse_ContainerWithoutMemory_IsLeftOut()
    {
        var parsed = ResourceMetricsText.Parse("container_cpu_usage_seconds_total{container=\"a\",namespace=\"n\",pod=\"p\"} 1 5\n");

        Assert.Empty(parsed.Containers);
        Assert.Null(parsed.Node);
    }
}

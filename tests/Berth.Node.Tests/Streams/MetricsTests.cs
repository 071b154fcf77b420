using System.Globalization;
using System.Text.RegularExpressions;
using Berth.Tests.Shared;
using k8s;

namespace Berth.Node.Tests.Streams;

/// <summary>
/// metrics.k8s.io end to end: real processes on the agent's <c>/metrics/resource</c>, read by the API server and
/// printed by the installed <c>kubectl top</c>; the C# client reads the same objects.
/// </summary>
[Collection(StreamsCollection.Name)]
public sealed partial class MetricsTests(StreamsCluster cluster)
{
    [Fact]
    public async Task KubectlTopPod_BusyPod_ShowsCpuAndMemory_ByContainer_AcrossNamespaces_AndBySelector()
    {
        // A busy loop that also holds about 8 MB in a shell variable, so its working set shows in whole MiB.
        var busy = cluster.Start("spin", ["sh", "-c", "x=$(head -c 8000000 /dev/zero | tr '\\0' a); while :; do :; done"]);
        var idle = cluster.Start("idle", ["sleep", "3600"]);
        try
        {
            await cluster.AddPodAsync("top-busy", null, new Dictionary<string, string> { ["app"] = "top-busy" }, null, busy, idle);

            var row = await Eventually.ValueAsync(
                async () => (await cluster.Kubectl.RunAsync(["top", "pod", "top-busy", "--containers"])) is { ExitCode: 0 } r ? r.Stdout : null,
                "kubectl top pod to show top-busy");
            var all = await cluster.Kubectl.OkAsync("top", "pod", "-A");
            var selected = await cluster.Kubectl.OkAsync("top", "pod", "-l", "app=top-busy");
            var none = await cluster.Kubectl.RunAsync(["top", "pod", "-l", "app=nothing-here"]);

            var spin = Row(row, "spin");
            var sleeping = Row(row, "idle");
            Assert.True(spin.MilliCores > 0, row);
            Assert.True(spin.MemoryMi > 0, row);
            Assert.True(sleeping.MilliCores < spin.MilliCores, row);
            Assert.Matches(@"(?m)^default\s+top-busy\s+\d+m\s+\d+Mi\s*$", all);
            Assert.Matches(@"(?m)^top-busy\s+\d+m\s+\d+Mi\s*$", selected);
            Assert.DoesNotContain("top-busy", none.Stdout + none.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            busy.Process?.Signal(9);
            idle.Process?.Signal(9);
        }
    }

    [Fact]
    public async Task KubectlTopNode_ShowsTheNode_AndTheClientReadsNodeMetrics()
    {
        var output = await cluster.Kubectl.OkAsync("top", "node");
        var list = await cluster.Client.GetKubernetesNodesMetricsAsync();

        Assert.Matches(@"(?m)^" + StreamsCluster.NodeName + @"\s+\d+m\s+", output);
        var node = Assert.Single(list.Items, n => n.Metadata.Name == StreamsCluster.NodeName);
        Assert.True(node.Usage["memory"].ToInt64() > 0);
    }

    [Fact]
    public async Task MetricsApi_ClientReadsPodMetrics_NotFoundAndWatchRefused()
    {
        var sleeper = cluster.Start("main", ["sleep", "3600"]);
        try
        {
            await cluster.AddPodAsync("top-client", null, null, null, sleeper);

            var pod = await Eventually.ValueAsync(
                async () => (await cluster.Client.GetKubernetesPodsMetricsByNamespaceAsync("default")).Items.FirstOrDefault(p => p.Metadata.Name == "top-client"),
                "PodMetrics of top-client");
            var missing = await cluster.Kubectl.RunAsync(["get", "--raw", "/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/no-such-pod"]);
            var watch = await cluster.Kubectl.RunAsync(["get", "--raw", "/apis/metrics.k8s.io/v1beta1/pods?watch=true"]);
            var discovery = await cluster.Kubectl.OkAsync("api-resources", "--api-group=metrics.k8s.io");

            var container = Assert.Single(pod.Containers);
            Assert.Equal("main", container.Name);
            Assert.True(container.Usage["memory"].ToInt64() > 0);
            Assert.Contains("NotFound", missing.Stderr, StringComparison.Ordinal);
            Assert.Contains("MethodNotAllowed", watch.Stderr, StringComparison.Ordinal);
            Assert.Contains("PodMetrics", discovery, StringComparison.Ordinal);
            Assert.Contains("NodeMetrics", discovery, StringComparison.Ordinal);
        }
        finally
        {
            sleeper.Process?.Signal(9);
        }
    }

    private static (int MilliCores, int MemoryMi) Row(string output, string container)
    {
        var match = Regex.Match(output, @"(?m)^\S+\s+" + container + @"\s+(\d+)m\s+(\d+)Mi\s*$");
        Assert.True(match.Success, output);
        return (int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture));
    }
}

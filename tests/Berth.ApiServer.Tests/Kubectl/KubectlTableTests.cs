using System.Text.RegularExpressions;
using Berth.ApiServer.Tests.Infrastructure;
using k8s;
using k8s.Models;

namespace Berth.ApiServer.Tests.Kubectl;

/// <summary>
/// The installed kubectl's table commands that need more than the printed cells: <c>--sort-by</c> (which asks for
/// <c>includeObject=Object</c> and sorts the row objects), <c>-o custom-columns</c> without server printing, and
/// <c>-o wide</c>. Each test reads the printed rows, in order.
/// </summary>
public sealed class KubectlTableTests : IClassFixture<BerthServer>
{
    private readonly BerthServer _server;
    private readonly Kubernetes _client;
    private readonly Infrastructure.Kubectl _kubectl;

    public KubectlTableTests(BerthServer server)
    {
        _server = server;
        _client = server.Client;
        _kubectl = new Infrastructure.Kubectl(server.KubeconfigPath, server.DataDir);
    }

    private async Task<string> NewNamespaceAsync()
    {
        var ns = "kt-" + Guid.NewGuid().ToString("N")[..8];
        await _client.CoreV1.CreateNamespaceAsync(Objects.Namespace(ns));
        return ns;
    }

    // The data lines of kubectl's table output, split on runs of spaces (the header line dropped).
    private static List<string[]> Rows(string output)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return lines.Skip(1).Select(l => Regex.Split(l.Trim(), @"\s{2,}")).ToList();
    }

    // Pods a, b, c (created in that order) with pod IPs that sort b (.10) < c (.20) < a (.30), written as a
    // kubelet would write them, through the status subresource.
    private async Task<string> NewPodsWithIpsAsync()
    {
        var ns = await NewNamespaceAsync();
        foreach (var (name, ip) in new[] { ("a", "127.244.7.30"), ("b", "127.244.7.10"), ("c", "127.244.7.20") })
        {
            var pod = await _client.CoreV1.CreateNamespacedPodAsync(Objects.Pod(name, nodeName: "node-x"), ns);
            pod.Status = new V1PodStatus { Phase = "Running", PodIP = ip, PodIPs = [new V1PodIP { Ip = ip }], HostIP = "127.0.0.1" };
            await _client.CoreV1.ReplaceNamespacedPodStatusAsync(pod, name, ns);
        }

        return ns;
    }

    [Fact]
    public async Task GetEvents_SortByLastTimestamp_RowsOldestFirst()
    {
        var ns = await NewNamespaceAsync();
        var now = DateTime.UtcNow;
        foreach (var (name, minutesAgo) in new[] { ("first", 5), ("second", 30), ("third", 15) })
        {
            await _client.CoreV1.CreateNamespacedEventAsync(
                new Corev1Event
                {
                    Metadata = new V1ObjectMeta { Name = name },
                    InvolvedObject = new V1ObjectReference { Kind = "Pod", Name = "p-" + name, NamespaceProperty = ns },
                    Reason = "Reason" + name,
                    Message = "message of " + name,
                    Type = "Normal",
                    FirstTimestamp = now.AddMinutes(-minutesAgo),
                    LastTimestamp = now.AddMinutes(-minutesAgo),
                    Count = 1,
                },
                ns);
        }

        var output = await _kubectl.OkAsync("get", "events", "-n", ns, "--sort-by=.lastTimestamp");

        Assert.Equal(["second", "third", "first"], Rows(output).Select(r => r[^1]["message of ".Length..]));
        Assert.Equal(["30m", "15m", "5m"], Rows(output).Select(r => r[0]));
    }

    [Fact]
    public async Task GetServices_SortByClusterIP_RowsInAddressOrder()
    {
        var ns = await NewNamespaceAsync();
        foreach (var (name, ip) in new[] { ("a", "127.96.5.30"), ("b", "127.96.5.10"), ("c", "127.96.5.20") })
        {
            var service = Objects.Service(name);
            service.Spec.ClusterIP = ip;
            await _client.CoreV1.CreateNamespacedServiceAsync(service, ns);
        }

        var output = await _kubectl.OkAsync("get", "svc", "-n", ns, "--sort-by=.spec.clusterIP");

        Assert.Equal([["b", "127.96.5.10"], ["c", "127.96.5.20"], ["a", "127.96.5.30"]], Rows(output).Select(r => new[] { r[0], r[2] }));
    }

    [Fact]
    public async Task GetPods_SortByPodIP_RowsInAddressOrder()
    {
        var ns = await NewPodsWithIpsAsync();

        var output = await _kubectl.OkAsync("get", "pods", "-n", ns, "--sort-by=.status.podIP", "-o", "wide");

        var rows = Rows(output);
        Assert.Equal(["b", "c", "a"], rows.Select(r => r[0]));
        Assert.Equal(["127.244.7.10", "127.244.7.20", "127.244.7.30"], rows.Select(r => r[5]));
    }

    [Fact]
    public async Task GetPods_CustomColumnsWithoutServerPrint_ColumnsFromTheObjects()
    {
        var ns = await NewPodsWithIpsAsync();

        var output = await _kubectl.OkAsync("get", "pods", "-n", ns, "--server-print=false", "-o", "custom-columns=NAME:.metadata.name,IP:.status.podIP,NODE:.spec.nodeName,IMAGE:.spec.containers[0].image");

        Assert.Matches(@"^NAME\s+IP\s+NODE\s+IMAGE\n", output);
        Assert.Equal(
            [["a", "127.244.7.30", "node-x", "berth/agnhost"], ["b", "127.244.7.10", "node-x", "berth/agnhost"], ["c", "127.244.7.20", "node-x", "berth/agnhost"]],
            Rows(output));
    }

    [Fact]
    public async Task GetPods_Wide_ShowsIpAndNodeColumns()
    {
        var ns = await NewPodsWithIpsAsync();

        var output = await _kubectl.OkAsync("get", "pods", "-n", ns, "-o", "wide");

        Assert.Matches(@"^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES\n", output);
        var rows = Rows(output);
        Assert.Equal(["a", "b", "c"], rows.Select(r => r[0]));
        Assert.All(rows, r => Assert.Equal(["0/1", "Running", "0"], r[1..4]));
        Assert.Equal(["127.244.7.30", "127.244.7.10", "127.244.7.20"], rows.Select(r => r[5]));
        Assert.All(rows, r => Assert.Equal(["node-x", "<none>", "<none>"], r[6..]));
    }
}

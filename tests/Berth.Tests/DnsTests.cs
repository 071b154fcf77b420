using System.Text.RegularExpressions;
using Berth.Tests.Infrastructure;

namespace Berth.Tests;

/// <summary>
/// The cluster DNS of <c>berth up</c> from the host, as the README tells a user to try it: <c>dig @&lt;dns ip&gt;</c>.
/// The cluster's DNS listens on its kube-dns ClusterIP (its own address block's .0.10, port 53: the tests run as root).
/// </summary>
public sealed class DnsTests
{
    [Fact]
    public async Task Up_ServesClusterNames_ToDigFromTheHost_OverUdpAndTcp()
    {
        await using var cluster = await Cluster.UpAsync();
        var dns = cluster.Block.DnsIp;
        await cluster.Kubectl.OkAsync("create", "service", "clusterip", "web", "--tcp=80:8080");
        var ip = (await cluster.Kubectl.OkAsync("get", "service", "web", "-o", "jsonpath={.spec.clusterIP}")).Trim();

        var udp = await Dig.UntilAsync(dns, ip, "+notcp", "web.default.svc.cluster.local");
        var tcp = await Dig.AskAsync(dns, "+tcp", "web.default.svc.cluster.local");
        var kubeDns = await Dig.AskAsync(dns, "+notcp", "kube-dns.kube-system.svc.cluster.local");
        var slice = await cluster.KubectlUntilAsync(o => o.Contains(dns, StringComparison.Ordinal), TimeSpan.FromSeconds(20),
            "get", "endpointslices", "-n", "kube-system", "-l", "kubernetes.io/service-name=kube-dns", "-o", "jsonpath={.items[*].endpoints[*].addresses[*]}");

        Assert.Equal(ip, udp);
        Assert.Equal(ip, tcp);
        Assert.Equal(dns, kubeDns);
        Assert.Equal(dns, slice.Trim());
        Assert.Matches($@"\n  cluster DNS +{Regex.Escape(dns)}:53 \(UDP, TCP\) for cluster.local\n", cluster.Berth.Output);
        Assert.Contains($"dig @{dns} ", cluster.Berth.Output, StringComparison.Ordinal);
    }
}

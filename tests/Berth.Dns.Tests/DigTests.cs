using Berth.Dns.Tests.Infrastructure;
using k8s;
using static Berth.Dns.Tests.Infrastructure.Objects;

namespace Berth.Dns.Tests;

/// <summary>The same answers through <c>dig</c>, as the conformance probes ask: <c>+notcp</c> and <c>+tcp</c>.</summary>
public sealed class DigTests(DnsCluster cluster) : IClassFixture<DnsCluster>
{
    public static TheoryData<string> Transports => new() { "+notcp", "+tcp" };

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task Dig_SeesEveryKindOfRecord(string transport)
    {
        var ns = await cluster.NamespaceAsync();
        var web = await cluster.Client.CoreV1.CreateNamespacedServiceAsync(ClusterIp(ns, "web", ("http", 80, "TCP")), ns);
        await cluster.Client.CoreV1.CreateNamespacedServiceAsync(Headless(ns, "db", ("http", 5432, "TCP")), ns);
        var ip = transport == "+tcp" ? "10.8.1.1" : "10.8.0.1";
        await cluster.Client.DiscoveryV1.CreateNamespacedEndpointSliceAsync(Slice(ns, "db", "db-1", [Endpoint(ip, hostname: "db-0")], ("http", 5432, "TCP")), ns);
        await cluster.Client.CoreV1.CreateNamespacedServiceAsync(ExternalName(ns, "ext", "db.example.com"), ns);
        var svc = $"{ns}.svc.cluster.local";
        await cluster.IndexedAsync($"db.{svc}", a => a.Answer.Count == 1);
        await cluster.IndexedAsync($"ext.{svc}", a => a.Answer.Count == 1);
        await cluster.IndexedAsync($"web.{svc}", a => a.Answer.Count == 1);
        var vip = web.Spec.ClusterIP;
        var reverse = string.Join('.', vip.Split('.').Reverse()) + ".in-addr.arpa";

        var a = await Dig.QueryAsync(cluster.Endpoint, $"Web.{svc}", "A", transport);
        var srv = await Dig.QueryAsync(cluster.Endpoint, $"_http._tcp.web.{svc}", "SRV", transport);
        var headless = await Dig.QueryAsync(cluster.Endpoint, $"db.{svc}", "A", transport);
        var headlessSrv = await Dig.QueryAsync(cluster.Endpoint, $"_http._tcp.db.{svc}", "SRV", transport);
        var ptr = await Dig.QueryAsync(cluster.Endpoint, reverse, "PTR", transport);
        var cname = await Dig.QueryAsync(cluster.Endpoint, $"ext.{svc}", "CNAME", transport);
        var pod = await Dig.QueryAsync(cluster.Endpoint, $"10-244-0-9.{ns}.pod.cluster.local", "A", transport);
        var version = await Dig.QueryAsync(cluster.Endpoint, "dns-version.cluster.local", "TXT", transport);
        var nx = await Dig.QueryAsync(cluster.Endpoint, $"nosuch.{svc}", "A", transport);
        var nodata = await Dig.QueryAsync(cluster.Endpoint, $"web.{svc}", "AAAA", transport);

        Assert.Equal(("NOERROR", $"Web.{svc}. 5 IN A {vip}"), (a.Status, Assert.Single(a.Answers)));
        Assert.Contains("aa", a.Flags.Split(' '));
        Assert.Equal($"_http._tcp.web.{svc}. 5 IN SRV 0 100 80 web.{svc}.", Assert.Single(srv.Answers));
        Assert.Equal($"db.{svc}. 5 IN A {ip}", Assert.Single(headless.Answers));
        Assert.Equal($"_http._tcp.db.{svc}. 5 IN SRV 0 100 5432 db-0.db.{svc}.", Assert.Single(headlessSrv.Answers));
        Assert.Equal($"{reverse}. 5 IN PTR web.{svc}.", Assert.Single(ptr.Answers));
        Assert.Equal($"ext.{svc}. 5 IN CNAME db.example.com.", Assert.Single(cname.Answers));
        Assert.Equal($"10-244-0-9.{ns}.pod.cluster.local. 5 IN A 10.244.0.9", Assert.Single(pod.Answers));
        Assert.Equal("dns-version.cluster.local. 5 IN TXT \"1.1.0\"", Assert.Single(version.Answers));
        Assert.Equal("NXDOMAIN", nx.Status);
        Assert.StartsWith("cluster.local. 5 IN SOA ns.dns.cluster.local. hostmaster.cluster.local.", Assert.Single(nx.Authority), StringComparison.Ordinal);
        Assert.Equal(("NOERROR", 0, 1), (nodata.Status, nodata.Answers.Count, nodata.Authority.Count));
    }

    [Fact]
    public async Task Dig_RetriesOverTcp_WhenTheUdpAnswerIsTruncated()
    {
        var ns = await cluster.NamespaceAsync();
        await cluster.Client.CoreV1.CreateNamespacedServiceAsync(Headless(ns, "many"), ns);
        await cluster.Client.DiscoveryV1.CreateNamespacedEndpointSliceAsync(Slice(ns, "many", "many-1", Enumerable.Range(1, 200).Select(i => Endpoint($"10.8.2.{i}"))), ns);
        var fqdn = $"many.{ns}.svc.cluster.local";
        await cluster.IndexedAsync(fqdn, a => a.Answer.Count == 200);

        var truncated = await Dig.QueryAsync(cluster.Endpoint, fqdn, "A", "+notcp", "+ignore");
        var retried = await Dig.QueryAsync(cluster.Endpoint, fqdn, "A", "+notcp");

        Assert.Contains("tc", truncated.Flags.Split(' '));
        Assert.Empty(truncated.Answers);
        Assert.Contains(";; Truncated, retrying in TCP mode.", retried.Output, StringComparison.Ordinal);
        Assert.Equal(200, retried.Answers.Count);
    }

    [Fact]
    public async Task Dig_WithoutEdns_GetsAtMost512Bytes()
    {
        var ns = await cluster.NamespaceAsync();
        await cluster.Client.CoreV1.CreateNamespacedServiceAsync(Headless(ns, "some"), ns);
        await cluster.Client.DiscoveryV1.CreateNamespacedEndpointSliceAsync(Slice(ns, "some", "some-1", Enumerable.Range(1, 40).Select(i => Endpoint($"10.8.3.{i}"))), ns);
        var fqdn = $"some.{ns}.svc.cluster.local";
        await cluster.IndexedAsync(fqdn, a => a.Answer.Count == 40);

        // 40 A records are 640 bytes of answer: over the 512 of a client without EDNS, within the 1232 of one with it.
        var plain = await Dig.QueryAsync(cluster.Endpoint, fqdn, "A", "+notcp", "+ignore", "+noedns");
        var edns = await Dig.QueryAsync(cluster.Endpoint, fqdn, "A", "+notcp", "+ignore", "+bufsize=1232");

        Assert.Contains("tc", plain.Flags.Split(' '));
        Assert.DoesNotContain("tc", edns.Flags.Split(' '));
        Assert.Equal(40, edns.Answers.Count);
    }
}

using System.Net;
using Berth.Dns.Tests.Infrastructure;
using Berth.Dns.Wire;
using DnsClient;
using DnsClient.Protocol;
using k8s;
using k8s.Models;
using static Berth.Dns.Tests.Infrastructure.Objects;

namespace Berth.Dns.Tests;

/// <summary>
/// The records of kubernetes-services.md §7.1 and the NXDOMAIN/NODATA rules of §7.2, through the real API server and
/// informers, asked over UDP and TCP with DnsClient (an independent implementation of the wire format).
/// </summary>
public sealed class ClusterDnsTests(DnsCluster cluster) : IClassFixture<DnsCluster>
{
    public static TheoryData<bool> Transports => new() { false, true };

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task ClusterIpService_AnswersARecordSrvAndPtr(bool tcp)
    {
        var ns = await cluster.NamespaceAsync();
        var service = await cluster.Client.CoreV1.CreateNamespacedServiceAsync(ClusterIp(ns, "web", ("http", 80, "TCP"), ("dns", 53, "UDP")), ns);
        var fqdn = $"web.{ns}.svc.cluster.local";
        await cluster.IndexedAsync(fqdn, a => a.Answer.Count == 1);
        var lookup = cluster.Lookup(tcp);

        var a = await lookup.QueryAsync(fqdn, QueryType.A);
        var srv = await lookup.QueryAsync($"_http._tcp.{fqdn}", QueryType.SRV);
        var udpSrv = await lookup.QueryAsync($"_dns._udp.{fqdn}", QueryType.SRV);
        var ptr = await lookup.QueryReverseAsync(IPAddress.Parse(service.Spec.ClusterIP));

        Assert.Equal(DnsHeaderResponseCode.NoError, a.Header.ResponseCode);
        Assert.True(a.Header.HasAuthorityAnswer);
        Assert.Equal(service.Spec.ClusterIP, Assert.Single(a.Answers.ARecords()).Address.ToString());
        // InitialTimeToLive: DnsClient's TimeToLive counts down from when the answer arrived (4 once the three queries sent after it took a second).
        Assert.Equal(5, a.Answers.Single().InitialTimeToLive);
        var record = Assert.Single(srv.Answers.SrvRecords());
        Assert.Equal((0, 100, 80, fqdn + "."), (record.Priority, record.Weight, record.Port, record.Target.Value));
        Assert.Equal(service.Spec.ClusterIP, Assert.Single(srv.Additionals.ARecords()).Address.ToString());
        Assert.Equal(53, Assert.Single(udpSrv.Answers.SrvRecords()).Port);
        Assert.Equal(fqdn + ".", Assert.Single(ptr.Answers.PtrRecords()).PtrDomainName.Value);
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task Names_NxDomainWhenAbsent_NoDataWhenTypeMissing(bool tcp)
    {
        var ns = await cluster.NamespaceAsync();
        await cluster.Client.CoreV1.CreateNamespacedServiceAsync(ClusterIp(ns, "web", ("http", 80, "TCP")), ns);
        var fqdn = $"web.{ns}.svc.cluster.local";
        await cluster.IndexedAsync(fqdn, a => a.Answer.Count == 1);
        var lookup = cluster.Lookup(tcp);

        (string Name, QueryType Type, DnsHeaderResponseCode Rcode)[] cases =
        [
            ($"nosuch.{ns}.svc.cluster.local", QueryType.A, DnsHeaderResponseCode.NotExistentDomain),
            ($"web.nosuchns.svc.cluster.local", QueryType.A, DnsHeaderResponseCode.NotExistentDomain),
            ($"_nosuch._tcp.{fqdn}", QueryType.SRV, DnsHeaderResponseCode.NotExistentDomain),
            ($"_http._udp.{fqdn}", QueryType.SRV, DnsHeaderResponseCode.NotExistentDomain),
            ($"host.{fqdn}", QueryType.A, DnsHeaderResponseCode.NotExistentDomain),
            (fqdn, QueryType.AAAA, DnsHeaderResponseCode.NoError),
            (fqdn, QueryType.TXT, DnsHeaderResponseCode.NoError),
            (fqdn, QueryType.SRV, DnsHeaderResponseCode.NoError),
            ($"_tcp.{fqdn}", QueryType.SRV, DnsHeaderResponseCode.NoError),
            ($"{ns}.svc.cluster.local", QueryType.A, DnsHeaderResponseCode.NoError),
            ("svc.cluster.local", QueryType.A, DnsHeaderResponseCode.NoError),
            ($"{ns}.pod.cluster.local", QueryType.A, DnsHeaderResponseCode.NoError),
        ];

        foreach (var (name, type, rcode) in cases)
        {
            var result = await lookup.QueryAsync(name, type);
            Assert.True(rcode == result.Header.ResponseCode, $"{name} {type}: {result.Header.ResponseCode}");
            Assert.Empty(result.Answers);
            var soa = Assert.Single(result.Authorities.SoaRecords());
            Assert.Equal(("cluster.local.", "ns.dns.cluster.local.", 5u), (soa.DomainName.Value, soa.MName.Value, soa.Minimum));
            Assert.True(result.Header.HasAuthorityAnswer);
        }
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task ZoneRecords_SoaNsAndSchemaVersion(bool tcp)
    {
        var lookup = cluster.Lookup(tcp);

        var soa = await lookup.QueryAsync("cluster.local", QueryType.SOA);
        var ns = await lookup.QueryAsync("cluster.local", QueryType.NS);
        var version = await lookup.QueryAsync("dns-version.cluster.local", QueryType.TXT);

        Assert.Equal("hostmaster.cluster.local.", Assert.Single(soa.Answers.SoaRecords()).RName.Value);
        Assert.Equal("ns.dns.cluster.local.", Assert.Single(ns.Answers.NsRecords()).NSDName.Value);
        Assert.Equal("1.1.0", Assert.Single(Assert.Single(version.Answers.TxtRecords()).Text));
    }

    [Fact]
    public async Task ServiceCreated_ResolvesAsSoonAsIndexed_DeletedGivesNxDomain()
    {
        var ns = await cluster.NamespaceAsync();
        var fqdn = $"fresh.{ns}.svc.cluster.local";
        var lookup = cluster.Lookup();
        var before = await lookup.QueryAsync(fqdn, QueryType.A);
        var created = await cluster.Client.CoreV1.CreateNamespacedServiceAsync(ClusterIp(ns, "fresh", ("http", 80, "TCP")), ns);

        // The moment the informer has delivered the Service, the wire answers it: no stale negative answer.
        await cluster.IndexedAsync(fqdn, a => a.Answer.Count == 1);
        var after = await lookup.QueryAsync(fqdn, QueryType.A);
        await cluster.Client.CoreV1.DeleteNamespacedServiceAsync("fresh", ns);
        await cluster.IndexedAsync(fqdn, a => a.Rcode == ResponseCode.NxDomain);
        var deleted = await lookup.QueryAsync(fqdn, QueryType.A);

        Assert.Equal(DnsHeaderResponseCode.NotExistentDomain, before.Header.ResponseCode);
        Assert.Equal(created.Spec.ClusterIP, Assert.Single(after.Answers.ARecords()).Address.ToString());
        Assert.Equal(DnsHeaderResponseCode.NotExistentDomain, deleted.Header.ResponseCode);
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task HeadlessService_AnswersReadyEndpoints_AsTheyBecomeReady(bool tcp)
    {
        var ns = await cluster.NamespaceAsync();
        var net = tcp ? "10.9.10" : "10.9.0"; // the two runs must not share addresses: PTR answers all owners
        await cluster.Client.CoreV1.CreateNamespacedServiceAsync(Headless(ns, "db", ("http", 80, "TCP")), ns);
        var slice = await cluster.Client.DiscoveryV1.CreateNamespacedEndpointSliceAsync(
            Slice(ns, "db", "db-1", [Endpoint($"{net}.1", ready: true, hostname: "db-0"), Endpoint($"{net}.2", ready: false)], ("http", 8080, "TCP")), ns);
        var fqdn = $"db.{ns}.svc.cluster.local";
        var lookup = cluster.Lookup(tcp);
        await cluster.IndexedAsync(fqdn, a => a.Answer.Count == 1);

        var one = await lookup.QueryAsync(fqdn, QueryType.A);
        slice.Endpoints[1].Conditions.Ready = true;
        await cluster.Client.DiscoveryV1.ReplaceNamespacedEndpointSliceAsync(slice, "db-1", ns);
        await cluster.IndexedAsync(fqdn, a => a.Answer.Count == 2);
        var two = await lookup.QueryAsync(fqdn, QueryType.A);
        var srv = await lookup.QueryAsync($"_http._tcp.{fqdn}", QueryType.SRV);
        var host = await lookup.QueryAsync($"db-0.{fqdn}", QueryType.A);
        var dashed = await lookup.QueryAsync($"{net.Replace('.', '-')}-2.{fqdn}", QueryType.A);
        var ptr = await lookup.QueryReverseAsync(IPAddress.Parse($"{net}.1"));

        Assert.Equal([$"{net}.1"], one.Answers.ARecords().Select(r => r.Address.ToString()));
        Assert.Equal([$"{net}.1", $"{net}.2"], two.Answers.ARecords().Select(r => r.Address.ToString()).Order());
        Assert.Equal(
            [(50, 8080, $"{net.Replace('.', '-')}-2.{fqdn}."), (50, 8080, $"db-0.{fqdn}.")],
            srv.Answers.SrvRecords().Select(r => ((int)r.Weight, (int)r.Port, r.Target.Value)).Order());
        Assert.Equal(2, srv.Additionals.ARecords().Count());
        Assert.Equal($"{net}.1", Assert.Single(host.Answers.ARecords()).Address.ToString());
        Assert.Equal($"{net}.2", Assert.Single(dashed.Answers.ARecords()).Address.ToString());
        Assert.Equal($"db-0.{fqdn}.", Assert.Single(ptr.Answers.PtrRecords()).PtrDomainName.Value);
    }

    [Fact]
    public async Task HeadlessService_WithoutReadyEndpoints_IsNxDomain()
    {
        var ns = await cluster.NamespaceAsync();
        await cluster.Client.CoreV1.CreateNamespacedServiceAsync(Headless(ns, "empty"), ns);
        await cluster.Client.DiscoveryV1.CreateNamespacedEndpointSliceAsync(Slice(ns, "empty", "empty-1", [Endpoint("10.9.1.1", ready: false)]), ns);
        await cluster.Client.CoreV1.CreateNamespacedServiceAsync(ClusterIp(ns, "marker", ("http", 80, "TCP")), ns);
        await cluster.IndexedAsync($"marker.{ns}.svc.cluster.local", a => a.Answer.Count == 1);
        await Eventually.TrueAsync(() => cluster.Dns.Zone.Current!.Names.Count > 0, "a zone");

        var result = await cluster.Lookup().QueryAsync($"empty.{ns}.svc.cluster.local", QueryType.A);

        Assert.Equal(DnsHeaderResponseCode.NotExistentDomain, result.Header.ResponseCode);
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task PodFqdn_ResolvesThroughHostnameAndSubdomain(bool tcp)
    {
        // A pod with hostname "web-0" and subdomain "web" behind a headless Service "web": the endpoint carries the hostname.
        var ns = await cluster.NamespaceAsync();
        await cluster.Client.CoreV1.CreateNamespacedServiceAsync(Headless(ns, "web"), ns);
        await cluster.Client.DiscoveryV1.CreateNamespacedEndpointSliceAsync(Slice(ns, "web", "web-1", [Endpoint("10.9.2.7", hostname: "web-0")]), ns);
        var fqdn = $"web-0.web.{ns}.svc.cluster.local";
        await cluster.IndexedAsync(fqdn, a => a.Answer.Count == 1);

        var result = await cluster.Lookup(tcp).QueryAsync(fqdn, QueryType.A);

        Assert.Equal("10.9.2.7", Assert.Single(result.Answers.ARecords()).Address.ToString());
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task PodName_EchoesTheAddress(bool tcp)
    {
        var ns = await cluster.NamespaceAsync();
        await cluster.IndexedAsync($"{ns}.pod.cluster.local", a => a.Rcode == ResponseCode.NoError);
        var lookup = cluster.Lookup(tcp);

        var a = await lookup.QueryAsync($"10-244-1-5.{ns}.pod.cluster.local", QueryType.A);
        var aaaa = await lookup.QueryAsync($"10-244-1-5.{ns}.pod.cluster.local", QueryType.AAAA);
        var bad = await lookup.QueryAsync($"10-244-1.{ns}.pod.cluster.local", QueryType.A);

        Assert.Equal("10.244.1.5", Assert.Single(a.Answers.ARecords()).Address.ToString());
        Assert.Equal(DnsHeaderResponseCode.NoError, aaaa.Header.ResponseCode);
        Assert.Empty(aaaa.Answers);
        Assert.Equal(DnsHeaderResponseCode.NotExistentDomain, bad.Header.ResponseCode);
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task ExternalName_AnswersCname_AndResolvesItsTarget(bool tcp)
    {
        var ns = await cluster.NamespaceAsync();
        var target = await cluster.Client.CoreV1.CreateNamespacedServiceAsync(ClusterIp(ns, "real", ("http", 80, "TCP")), ns);
        await cluster.Client.CoreV1.CreateNamespacedServiceAsync(ExternalName(ns, "outside", "db.example.com."), ns);
        await cluster.Client.CoreV1.CreateNamespacedServiceAsync(ExternalName(ns, "inside", $"real.{ns}.svc.cluster.local"), ns);
        await cluster.IndexedAsync($"inside.{ns}.svc.cluster.local", a => a.Answer.Count == 2);
        await cluster.IndexedAsync($"outside.{ns}.svc.cluster.local", a => a.Answer.Count == 1);
        var lookup = cluster.Lookup(tcp);

        var outside = await lookup.QueryAsync($"outside.{ns}.svc.cluster.local", QueryType.CNAME);
        var chased = await lookup.QueryAsync($"outside.{ns}.svc.cluster.local", QueryType.A);
        var inside = await lookup.QueryAsync($"inside.{ns}.svc.cluster.local", QueryType.A);

        Assert.Equal("db.example.com.", Assert.Single(outside.Answers.CnameRecords()).CanonicalName.Value);
        Assert.Equal("db.example.com.", Assert.Single(chased.Answers.CnameRecords()).CanonicalName.Value);
        Assert.Equal(TestUpstream.Answer, Assert.Single(chased.Answers.ARecords()).Address);
        Assert.Equal("db.example.com.", Assert.Single(chased.Answers.ARecords()).DomainName.Value);
        Assert.Equal($"real.{ns}.svc.cluster.local.", Assert.Single(inside.Answers.CnameRecords()).CanonicalName.Value);
        Assert.Equal(target.Spec.ClusterIP, Assert.Single(inside.Answers.ARecords()).Address.ToString());
    }

    [Fact]
    public async Task HeadlessWith500Endpoints_TruncatesOverUdp_AndAnswersInFullOverTcp()
    {
        var ns = await cluster.NamespaceAsync();
        await cluster.Client.CoreV1.CreateNamespacedServiceAsync(Headless(ns, "big", ("http", 80, "TCP")), ns);
        var endpoints = Enumerable.Range(0, 500).Select(i => Endpoint($"10.10.{i / 250}.{(i % 250) + 1}")).ToList();
        await cluster.Client.DiscoveryV1.CreateNamespacedEndpointSliceAsync(Slice(ns, "big", "big-1", endpoints, ("http", 80, "TCP")), ns);
        var fqdn = $"big.{ns}.svc.cluster.local";
        await cluster.IndexedAsync(fqdn, a => a.Answer.Count == 500);

        var udp = await Assert.ThrowsAsync<DnsResponseException>(() => cluster.Lookup(tcpFallback: false).QueryAsync(fqdn, QueryType.A));
        var retried = await cluster.Lookup().QueryAsync(fqdn, QueryType.A);
        var srv = await cluster.Lookup(tcp: true).QueryAsync($"_http._tcp.{fqdn}", QueryType.SRV);

        Assert.Contains("truncated", udp.Message, StringComparison.Ordinal);
        Assert.Equal(500, retried.Answers.ARecords().Count());
        Assert.Equal(500, srv.Answers.SrvRecords().Count());
        Assert.All(srv.Answers.SrvRecords(), r => Assert.Equal(0, r.Weight));
    }

    [Fact]
    public async Task OtherNames_GoUpstream_AndAreCached()
    {
        var lookup = cluster.Lookup();

        var first = await lookup.QueryAsync("www.example.org", QueryType.A);
        var second = await lookup.QueryAsync("WWW.example.org", QueryType.A);
        var missing = await lookup.QueryAsync("nx.example.org", QueryType.A);
        var silent = await lookup.QueryAsync("silent.example.org", QueryType.A);

        Assert.Equal(TestUpstream.Answer, Assert.Single(first.Answers.ARecords()).Address);
        Assert.Equal(TestUpstream.Answer, Assert.Single(second.Answers.ARecords()).Address);
        Assert.Equal("WWW.example.org.", second.Questions.Single().QueryName.Value);
        Assert.Equal(1, cluster.Upstream.Count("www.example.org"));
        Assert.False(first.Header.HasAuthorityAnswer);
        Assert.Equal(DnsHeaderResponseCode.NotExistentDomain, missing.Header.ResponseCode);
        Assert.Equal(DnsHeaderResponseCode.ServerFailure, silent.Header.ResponseCode);
    }

    [Fact]
    public async Task KubeDnsService_ExistsWithItsPorts_AndThisNodesEndpointSlice()
    {
        await cluster.Client.CoreV1.CreateNodeAsync(new V1Node { Metadata = new V1ObjectMeta { Name = cluster.NodeName } });

        var service = await cluster.Client.CoreV1.ReadNamespacedServiceAsync("kube-dns", "kube-system");
        var slice = await Eventually.ValueAsync(
            async () => (await cluster.Client.DiscoveryV1.ListNamespacedEndpointSliceAsync("kube-system", labelSelector: "kubernetes.io/service-name=kube-dns")).Items.FirstOrDefault(),
            "the node's kube-dns EndpointSlice");

        Assert.Equal("127.96.0.10", service.Spec.ClusterIP);
        Assert.Equal([("dns", 53, "UDP"), ("dns-tcp", 53, "TCP"), ("metrics", 9153, "TCP")], service.Spec.Ports.Select(p => (p.Name, p.Port, p.Protocol)));
        Assert.Equal("berth-dns", service.Metadata.Labels["service.kubernetes.io/service-proxy-name"]);
        Assert.Equal("kube-dns", service.Metadata.Labels["k8s-app"]);
        Assert.Null(service.Spec.Selector);
        Assert.Equal($"kube-dns-{cluster.NodeName}", slice.Metadata.Name);
        Assert.Equal(cluster.Endpoint.Address.ToString(), slice.Endpoints.Single().Addresses.Single());
        Assert.Equal(cluster.NodeName, slice.Endpoints.Single().NodeName);
        Assert.Equal(("Node", cluster.NodeName), (slice.Metadata.OwnerReferences.Single().Kind, slice.Metadata.OwnerReferences.Single().Name));
        Assert.Equal("berth-dns", slice.Metadata.Labels["endpointslice.kubernetes.io/managed-by"]);
    }

    [Fact]
    public async Task KubeDnsService_IsRecreatedWhenDeleted()
    {
        await cluster.Client.CoreV1.DeleteNamespacedServiceAsync("kube-dns", "kube-system");

        var again = await Eventually.ValueAsync(
            async () => (await cluster.Client.CoreV1.ListNamespacedServiceAsync("kube-system", fieldSelector: "metadata.name=kube-dns")).Items.FirstOrDefault(),
            "kube-dns to be recreated",
            TimeSpan.FromSeconds(30));

        Assert.Equal("127.96.0.10", again.Spec.ClusterIP);
    }
}

using System.Net;
using Berth.Node.Resolver;
using k8s.Models;

namespace Berth.Node.Tests.Resolver;

/// <summary>
/// <see cref="PodDnsPlanner"/> against the kubelet's expectations (TestGetPodDNS, TestGetPodDNSCustom,
/// TestGetPodDNSType, TestMergeDNSOptions, TestFormDNSSearchFitsLimits, TestFormDNSNameserversFitsLimits in
/// pkg/kubelet/network/dns/dns_test.go).
/// </summary>
public sealed class PodDnsPlannerTests
{
    private const string ClusterNameserver = "10.0.0.10";
    private const string Zone = "kubernetes.io";
    private static readonly ResolvConf _host = new(["8.8.8.8"], ["host.domain"], ["timeout:2", "rotate"]);

    private static V1Pod Pod(string? policy, bool hostNetwork = false, V1PodDNSConfig? dnsConfig = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "test-pod", NamespaceProperty = "testNS", Uid = "1234" },
        Spec = new V1PodSpec { DnsPolicy = policy, HostNetwork = hostNetwork, DnsConfig = dnsConfig, Containers = [] },
    };

    private static PodDnsPlan Plan(V1Pod pod, ResolvConf? host = null, string[]? clusterDns = null, string zone = Zone, IPAddress? node = null) =>
        PodDnsPlanner.Plan(new PodDnsInput
        {
            Pod = pod,
            Host = host,
            ClusterDns = clusterDns ?? [ClusterNameserver],
            ClusterDomain = zone,
            NodeIPs = [node ?? IPAddress.Loopback],
            PodDescription = "test-pod_testNS(1234)",
        });

    private static V1PodDNSConfig Custom() => new()
    {
        Nameservers = ["10.0.0.11"],
        Searches = ["my.domain"],
        Options = [new V1PodDNSConfigOption { Name = "ndots", Value = "3" }, new V1PodDNSConfigOption { Name = "debug" }],
    };

    [Theory]
    [InlineData("ClusterFirst")]
    [InlineData(null)]
    [InlineData("SomethingElse")]
    public void ClusterFirst_GetsTheClusterNameserverSearchPathAndNdots5(string? policy)
    {
        var plan = Plan(Pod(policy), _host);

        Assert.Equal("search testNS.svc.kubernetes.io svc.kubernetes.io kubernetes.io host.domain\nnameserver 10.0.0.10\noptions ndots:5\n", plan.Config.Render());
        Assert.Empty(plan.Events);
    }

    [Fact]
    public void ClusterFirst_HostSearchAlreadyInTheClusterPath_IsNotRepeated()
    {
        var plan = Plan(Pod("ClusterFirst"), new ResolvConf(["8.8.8.8"], ["svc.kubernetes.io", "corp.example"], []));

        Assert.Equal(["testNS.svc.kubernetes.io", "svc.kubernetes.io", "kubernetes.io", "corp.example"], plan.Config.Searches);
    }

    [Fact]
    public void ClusterFirst_WithoutClusterDomain_KeepsTheNodeSearchPath()
    {
        var plan = Plan(Pod("ClusterFirst"), _host, zone: "");

        Assert.Equal(["host.domain"], plan.Config.Searches);
        Assert.Equal([ClusterNameserver], plan.Config.Nameservers);
    }

    [Fact]
    public void ClusterFirst_OnHostNetwork_FallsBackToDefault()
    {
        var plan = Plan(Pod("ClusterFirst", hostNetwork: true), _host);

        Assert.Equal(_host.Render(), plan.Config.Render());
        Assert.Empty(plan.Events);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ClusterFirstWithHostNet_UsesTheClusterDns(bool hostNetwork)
    {
        var plan = Plan(Pod("ClusterFirstWithHostNet", hostNetwork), _host);

        Assert.Equal([ClusterNameserver], plan.Config.Nameservers);
        Assert.Equal("testNS.svc.kubernetes.io", plan.Config.Searches[0]);
    }

    [Fact]
    public void Default_IsTheNodesConfiguration()
    {
        var plan = Plan(Pod("Default"), _host);

        Assert.Equal("search host.domain\nnameserver 8.8.8.8\noptions timeout:2 rotate\n", plan.Config.Render());
    }

    [Fact]
    public void Default_WithoutANodeResolvConf_AsksTheLocalMachine()
    {
        var plan = Plan(Pod("Default"), host: null);

        Assert.Equal("search .\nnameserver 127.0.0.1\n", plan.Config.Render());
    }

    [Fact]
    public void Default_WithoutANodeResolvConf_OnAnIPv6Node_AsksIPv6Localhost()
    {
        var plan = Plan(Pod("Default"), host: null, node: IPAddress.IPv6Loopback);

        Assert.Equal(["::1"], plan.Config.Nameservers);
    }

    [Fact]
    public void None_WithoutDnsConfig_IsEmpty()
    {
        var plan = Plan(Pod("None"), _host);

        Assert.Equal(ResolvConf.Empty.Render(), plan.Config.Render());
    }

    [Fact]
    public void None_WithDnsConfig_IsOnlyTheDnsConfig()
    {
        var config = new V1PodDNSConfig
        {
            Nameservers = ["203.0.113.1"],
            Searches = ["my.domain", "second.domain"],
            Options = [new V1PodDNSConfigOption { Name = "ndots", Value = "3" }, new V1PodDNSConfigOption { Name = "debug" }],
        };

        var plan = Plan(Pod("None", dnsConfig: config), _host);

        Assert.Equal("search my.domain second.domain\nnameserver 203.0.113.1\noptions ndots:3 debug\n", plan.Config.Render());
    }

    [Theory]
    [InlineData("ClusterFirst", false)]
    [InlineData("ClusterFirstWithHostNet", true)]
    public void ClusterPolicies_WithDnsConfig_AreMerged(string policy, bool hostNetwork)
    {
        var plan = Plan(Pod(policy, hostNetwork, Custom()), new ResolvConf(["8.8.8.8"], ["host.domain"], []));

        Assert.Equal([ClusterNameserver, "10.0.0.11"], plan.Config.Nameservers);
        Assert.Equal(["testNS.svc.kubernetes.io", "svc.kubernetes.io", "kubernetes.io", "host.domain", "my.domain"], plan.Config.Searches);
        Assert.Equal(["ndots:3", "debug"], plan.Config.Options);
    }

    [Fact]
    public void Default_WithDnsConfig_IsMerged()
    {
        var plan = Plan(Pod("Default", dnsConfig: Custom()), new ResolvConf(["8.8.8.8"], ["host.domain"], []));

        Assert.Equal(["8.8.8.8", "10.0.0.11"], plan.Config.Nameservers);
        Assert.Equal(["host.domain", "my.domain"], plan.Config.Searches);
        Assert.Equal(["ndots:3", "debug"], plan.Config.Options);
    }

    [Fact]
    public void DnsConfig_DuplicateNameserversAndSearches_AreDropped()
    {
        var config = new V1PodDNSConfig { Nameservers = [ClusterNameserver, "10.0.0.11", "10.0.0.11"], Searches = ["kubernetes.io", "my.domain"] };

        var plan = Plan(Pod("ClusterFirst", dnsConfig: config), ResolvConf.Empty);

        Assert.Equal([ClusterNameserver, "10.0.0.11"], plan.Config.Nameservers);
        Assert.Equal(["testNS.svc.kubernetes.io", "svc.kubernetes.io", "kubernetes.io", "my.domain"], plan.Config.Searches);
    }

    [Fact]
    public void DnsConfigOptions_OverrideByName_KeepTheirPlace_AndNewOnesFollow()
    {
        var config = new V1PodDNSConfig
        {
            Options =
            [
                new V1PodDNSConfigOption { Name = "ndots", Value = "3" },
                new V1PodDNSConfigOption { Name = "debug" },
                new V1PodDNSConfigOption { Name = "single-request" },
                new V1PodDNSConfigOption { Name = "attempts", Value = "3" },
            ],
        };

        var plan = Plan(Pod("Default", dnsConfig: config), new ResolvConf([], [], ["ndots:5", "debug", "timeout:1"]));

        Assert.Equal(["ndots:3", "debug", "timeout:1", "single-request", "attempts:3"], plan.Config.Options);
    }

    [Fact]
    public void ClusterFirst_WithoutClusterDns_FallsBackToDefault_WithMissingClusterDnsWarnings()
    {
        var plan = Plan(Pod("ClusterFirst"), _host, clusterDns: []);

        Assert.Equal(_host.Render(), plan.Config.Render());
        const string message = "kubelet does not have ClusterDNS IP configured and cannot create Pod using \"ClusterFirst\" policy. Falling back to \"Default\" policy.";
        Assert.Equal(
            [
                new PlannedEvent(true, "Warning", "MissingClusterDNS", message),
                new PlannedEvent(false, "Warning", "MissingClusterDNS", "pod: \"test-pod_testNS(1234)\". " + message),
            ],
            plan.Events);
    }

    [Fact]
    public void Nameservers_OverThree_AreCut_WithAWarning()
    {
        var config = new V1PodDNSConfig { Nameservers = ["127.0.0.1", "10.0.0.10", "8.8.8.8", "1.2.3.4"] };

        var plan = Plan(Pod("None", dnsConfig: config), _host);

        Assert.Equal(["127.0.0.1", "10.0.0.10", "8.8.8.8"], plan.Config.Nameservers);
        Assert.Equal([PlannedEvent.PodWarning("DNSConfigForming", "Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: 127.0.0.1 10.0.0.10 8.8.8.8")], plan.Events);
    }

    [Fact]
    public void Searches_Over32_AreCut_WithAWarning()
    {
        var host = new ResolvConf([], [.. Enumerable.Range(4, 30).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))], []);

        var plan = Plan(Pod("ClusterFirst"), host, zone: "TEST");

        var expected = "testNS.svc.TEST svc.TEST TEST 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32";
        Assert.Equal(expected, string.Join(' ', plan.Config.Searches));
        Assert.Equal([PlannedEvent.PodWarning("DNSConfigForming", "Search Line limits were exceeded, some search paths have been omitted, the applied search line is: " + expected)], plan.Events);
    }

    [Fact]
    public void Searches_Exactly32_AreKept()
    {
        var host = new ResolvConf([], [.. Enumerable.Range(4, 29).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))], []);

        var plan = Plan(Pod("ClusterFirst"), host, zone: "TEST");

        Assert.Equal(32, plan.Config.Searches.Count);
        Assert.Empty(plan.Events);
    }

    [Fact]
    public void ASearchDomainOver253Characters_IsDropped_WithAWarning()
    {
        var host = new ResolvConf([], ["AAA", new string('B', 256), "BBB"], []);

        var plan = Plan(Pod("ClusterFirst"), host, zone: "TEST");

        Assert.Equal(["testNS.svc.TEST", "svc.TEST", "TEST", "AAA", "BBB"], plan.Config.Searches);
        Assert.Equal([PlannedEvent.PodWarning("DNSConfigForming", "Search Line limits were exceeded, some search paths have been omitted, the applied search line is: testNS.svc.TEST svc.TEST TEST AAA BBB")], plan.Events);
    }

    [Fact]
    public void ASearchLineOf2048Characters_IsKept_AndLongerOnesAreCutFromTheEnd()
    {
        // 2048 = 128 + 127 * 15 + 15 separators, as upstream's searchPathList2048Chars (distinct here: dnsConfig drops repeats).
        string[] fits = [new string('A', 128), .. Enumerable.Range(0, 15).Select(i => new string((char)('b' + i), 127))];
        var config = new V1PodDNSConfig { Nameservers = ["1.1.1.1"], Searches = [.. fits] };
        var longer = new V1PodDNSConfig { Nameservers = ["1.1.1.1"], Searches = [.. fits, "B"] };

        var kept = Plan(Pod("None", dnsConfig: config));
        var cut = Plan(Pod("None", dnsConfig: longer));

        Assert.Equal(fits, kept.Config.Searches);
        Assert.Empty(kept.Events);
        Assert.Equal(fits, cut.Config.Searches);
        Assert.Single(cut.Events);
    }

    [Fact]
    public void CheckNodeLimits_IsQuietForAnOrdinaryFile()
    {
        Assert.Null(PodDnsPlanner.CheckNodeLimits(_host, "/etc/resolv.conf", Zone));
    }

    [Fact]
    public void CheckNodeLimits_SearchLineWithoutRoomForTheClusterDomains_IsReported()
    {
        var host = new ResolvConf([], [.. Enumerable.Range(0, 30).Select(i => "d" + i.ToString(System.Globalization.CultureInfo.InvariantCulture))], []);

        Assert.Equal("Resolv.conf file '/etc/resolv.conf' contains search line consisting of more than 29 domains!", PodDnsPlanner.CheckNodeLimits(host, "/etc/resolv.conf", Zone));
        Assert.Null(PodDnsPlanner.CheckNodeLimits(host, "/etc/resolv.conf", ""));
    }

    [Fact]
    public void CheckNodeLimits_TooLongSearchPath_IsReported()
    {
        var host = new ResolvConf([], [new string('x', 254)], []);

        Assert.Equal("Resolv.conf file \"/etc/resolv.conf\" contains a search path which length is more than allowed 253 chars!", PodDnsPlanner.CheckNodeLimits(host, "/etc/resolv.conf", Zone));
    }
}

using Berth.Node.Resolver;
using k8s.Models;

namespace Berth.Node.Tests.Resolver;

/// <summary>The kubelet's TestManagedHostsFileContent and TestNodeHostsFileContent (kubelet_pods_test.go), byte for byte.</summary>
public sealed class HostsFilePlannerTests
{
    private const string Boilerplate = "# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n";

    private const string NodeHosts = "# hosts file for testing.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n123.45.67.89\tsome.domain\n";

    [Fact]
    public void Managed_WithoutSubdomain_MapsThePodIPToItsHostname()
    {
        var text = HostsFilePlanner.Managed(["123.45.67.89"], "podFoo", "", []);

        Assert.Equal(Boilerplate + "123.45.67.89\tpodFoo\n", text);
    }

    [Fact]
    public void Managed_WithSubdomain_PutsTheFqdnFirst()
    {
        var text = HostsFilePlanner.Managed(["203.0.113.1"], "podFoo", "domainFoo", null);

        Assert.Equal(Boilerplate + "203.0.113.1\tpodFoo.domainFoo\tpodFoo\n", text);
    }

    [Fact]
    public void Managed_HostAliases_FollowAsOneLinePerIP()
    {
        var aliases = new List<V1HostAlias>
        {
            new() { Ip = "123.45.67.89", Hostnames = ["foo", "bar", "baz"] },
            new() { Ip = "456.78.90.123", Hostnames = ["park", "doo", "boo"] },
        };

        var text = HostsFilePlanner.Managed(["203.0.113.1"], "podFoo", "domainFoo", aliases);

        Assert.Equal(Boilerplate + "203.0.113.1\tpodFoo.domainFoo\tpodFoo\n\n# Entries added by HostAliases.\n123.45.67.89\tfoo\tbar\tbaz\n456.78.90.123\tpark\tdoo\tboo\n", text);
    }

    [Fact]
    public void Managed_EveryPodIP_GetsALine()
    {
        var text = HostsFilePlanner.Managed(["203.0.113.1", "fd00::6"], "podFoo", "domainFoo", []);

        Assert.Equal(Boilerplate + "203.0.113.1\tpodFoo.domainFoo\tpodFoo\nfd00::6\tpodFoo.domainFoo\tpodFoo\n", text);
    }

    [Fact]
    public void HostNetwork_IsTheNodesFileUnderItsOwnHeader()
    {
        var text = HostsFilePlanner.HostNetwork(NodeHosts, []);

        Assert.Equal("# Kubernetes-managed hosts file (host network).\n" + NodeHosts, text);
    }

    [Fact]
    public void HostNetwork_HostAliases_AreAppended()
    {
        var text = HostsFilePlanner.HostNetwork(NodeHosts, [new V1HostAlias { Ip = "123.45.67.89", Hostnames = ["foo", "bar", "baz"] }]);

        Assert.Equal("# Kubernetes-managed hosts file (host network).\n" + NodeHosts + "\n# Entries added by HostAliases.\n123.45.67.89\tfoo\tbar\tbaz\n", text);
    }
}

using Berth.Node.Resolver;
using k8s.Models;

namespace Berth.Node.Tests.Resolver;

public sealed class PodNamesTests
{
    private static V1Pod Pod(string name, string? hostname = null, string? subdomain = null, bool? fqdn = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "team" },
        Spec = new V1PodSpec { Hostname = hostname, Subdomain = subdomain, SetHostnameAsFQDN = fqdn, Containers = [] },
    };

    [Fact]
    public void Of_WithoutHostname_IsThePodName()
    {
        var (names, error) = PodNames.Of(Pod("web-0"), "cluster.local");

        Assert.Null(error);
        Assert.Equal(new PodNames("web-0", "", "web-0"), names);
    }

    [Fact]
    public void Of_HostnameAndSubdomain_MakeTheDomain()
    {
        var (names, _) = PodNames.Of(Pod("web-0", hostname: "db", subdomain: "backends"), "cluster.local");

        Assert.Equal(new PodNames("db", "backends.team.svc.cluster.local", "db"), names);
    }

    [Fact]
    public void Of_LongPodName_IsCutTo63WithoutTrailingDashOrDot()
    {
        var name = new string('a', 61) + "-.bbbb";

        var (names, _) = PodNames.Of(Pod(name), "cluster.local");

        Assert.Equal(new string('a', 61), names!.Hostname);
    }

    [Fact]
    public void Of_SetHostnameAsFqdn_MakesTheKernelHostnameTheFqdn()
    {
        var (names, _) = PodNames.Of(Pod("web-0", subdomain: "backends", fqdn: true), "cluster.local");

        Assert.Equal("web-0.backends.team.svc.cluster.local", names!.KernelHostname);
        Assert.Equal("web-0", names.Hostname);
    }

    [Fact]
    public void Of_SetHostnameAsFqdnWithoutSubdomain_KeepsTheShortName()
    {
        var (names, _) = PodNames.Of(Pod("web-0", fqdn: true), "cluster.local");

        Assert.Equal("web-0", names!.KernelHostname);
    }

    [Fact]
    public void Of_FqdnLongerThan64_IsTheKubeletsError()
    {
        var (names, error) = PodNames.Of(Pod(new string('h', 30), subdomain: new string('s', 20), fqdn: true), "cluster.local");

        Assert.Null(names);
        var fqdn = new string('h', 30) + "." + new string('s', 20) + ".team.svc.cluster.local";
        Assert.Equal($"failed to construct FQDN from pod hostname and cluster domain, FQDN {fqdn} is too long (64 characters is the max, {fqdn.Length} characters requested)", error);
    }
}

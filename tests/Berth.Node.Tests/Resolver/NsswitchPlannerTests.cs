using Berth.Node.Resolver;

namespace Berth.Node.Tests.Resolver;

public sealed class NsswitchPlannerTests
{
    [Theory]
    [InlineData("passwd:         files\nhosts:          files dns\nnetworks:       files\n")]
    [InlineData("hosts: files   dns # the default\n")]
    [InlineData("passwd: files\n")]
    public void ForPod_AHostThatAsksFilesAndDns_NeedsNoFileOfItsOwn(string host)
    {
        Assert.Null(NsswitchPlanner.ForPod(host));
    }

    [Fact]
    public void ForPod_SystemdResolved_GetsTheContainerImagesHostsLine_AndKeepsTheRest()
    {
        const string fedora = "passwd:     files systemd\nhosts:      files myhostname resolve [!UNAVAIL=return] dns\nnetworks:   files\n";

        var pod = NsswitchPlanner.ForPod(fedora);

        Assert.Equal("passwd:     files systemd\nhosts:          files dns\nnetworks:   files\n", pod);
    }

    [Fact]
    public void ForPod_Mdns_IsLeftOut()
    {
        Assert.Equal("hosts:          files dns\n", NsswitchPlanner.ForPod("hosts: files mdns4_minimal [NOTFOUND=return] dns\n"));
    }
}

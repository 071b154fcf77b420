using System.Net.Sockets;
using Berth.Proxy.Tests.Infrastructure;
using static Berth.Proxy.Tests.Infrastructure.Objects;

namespace Berth.Proxy.Tests.Integration;

/// <summary>UDP flows follow the model: a removed endpoint's flows end (§5.9), a Local policy with none here drops.</summary>
[Collection(ProxyCollection.Name)]
public sealed class UdpFlowTests(ProxyFixture fixture)
{
    [Fact]
    public async Task UdpFlow_EndpointRemoved_TheSameClientPortIsSentToALiveEndpoint()
    {
        var ns = await fixture.NewNamespaceAsync();
        await using var first = NameServer.Start("first", fixture.NewAddress(), 5353, tcp: false, udp: true);
        await using var second = NameServer.Start("second", fixture.NewAddress(), 5353, tcp: false, udp: true);
        var service = await fixture.Client.CreateAsync(Service(ns, "dns", "ClusterIP", Port("dns", 53, "UDP")));
        await fixture.Client.CreateAsync(Slice(ns, "dns", "dns-1", [("dns", 5353, "UDP")], Endpoint(first.EndPoint.Address)));
        var target = service.ClusterEndPoint();
        await Eventually.TrueAsync(async () => await AskAsync(target) == "first", "the cluster IP to answer over UDP");
        using var client = Probe.Udp(target);
        Assert.Equal("first", await Probe.UdpAsync(client, "q", TimeSpan.FromSeconds(5)));

        await fixture.Client.SetEndpointsAsync(ns, "dns-1", Endpoint(second.EndPoint.Address));

        await Eventually.TrueAsync(async () => await Probe.UdpAsync(client, "q", TimeSpan.FromSeconds(1)) == "second", "the flow to move to the live endpoint");
    }

    [Fact]
    public async Task UdpLocalPolicy_NoLocalEndpoint_DatagramsDroppedWithoutAnError()
    {
        var ns = await fixture.NewNamespaceAsync();
        await using var remote = NameServer.Start("remote", fixture.NewAddress(), 5353, tcp: false, udp: true);
        var spec = Service(ns, "quiet", "ClusterIP", Port("dns", 53, "UDP"));
        spec.Spec.InternalTrafficPolicy = "Local";
        var service = await fixture.Client.CreateAsync(spec);
        await fixture.Client.CreateAsync(Slice(ns, "quiet", "quiet-1", [("dns", 5353, "UDP")], Endpoint(remote.EndPoint.Address, ProxyFixture.OtherNode)));
        var target = service.ClusterEndPoint();

        await Eventually.TrueAsync(
            async () =>
            {
                using var client = Probe.Udp(target);
                try
                {
                    var first = await Probe.UdpAsync(client, "q", TimeSpan.FromMilliseconds(300));
                    var second = await Probe.UdpAsync(client, "q", TimeSpan.FromMilliseconds(300));
                    return first is null && second is null;
                }
                catch (SocketException)
                {
                    return false; // refused: the socket is not open yet
                }
            },
            "datagrams to be dropped silently");

        Assert.Contains($"{ns}/quiet:dns", fixture.Proxy.RenderTrace(json: false).Split('\n').Where(l => l.EndsWith("dropped", StringComparison.Ordinal)).FirstOrDefault() ?? string.Empty);
    }

    private static async Task<string?> AskAsync(System.Net.IPEndPoint target)
    {
        using var socket = Probe.Udp(target);
        try
        {
            return await Probe.UdpAsync(socket, "q", TimeSpan.FromSeconds(1));
        }
        catch (SocketException)
        {
            return null;
        }
    }
}

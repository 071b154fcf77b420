using System.Net;
using System.Net.Sockets;
using System.Text;
using Berth.Proxy.Model;
using Berth.Proxy.Tests.Infrastructure;
using Berth.Proxy.Userspace;
using k8s;
using static Berth.Proxy.Tests.Infrastructure.Objects;

namespace Berth.Proxy.Tests.Integration;

/// <summary>A port the proxy cannot bind, and a change to one Service next to another's connections.</summary>
[Collection(ProxyCollection.Name)]
public sealed class ResilienceTests(ProxyFixture fixture)
{
    [Fact]
    public async Task NodePortAddressInUse_WarningEventAndTheOtherListenersServe_ThenOpenedOnceFree()
    {
        var ns = await fixture.NewNamespaceAsync();
        await using var server = NameServer.Start("busy", fixture.NewAddress(), 8080);
        var nodePort = int.Parse(fixture.Block.NodePortRange.Split('-')[1], System.Globalization.CultureInfo.InvariantCulture);
        var blocked = new IPEndPoint(fixture.NodeAddress, nodePort);
        var blocker = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        blocker.Bind(blocked);
        blocker.Listen();
        var spec = Service(ns, "busy", "NodePort");
        spec.Spec.Ports[0].NodePort = nodePort;
        var service = await fixture.Client.CreateAsync(spec);
        await fixture.Client.CreateAsync(Slice(ns, "busy", "busy-1", [("http", 8080, "TCP")], Endpoint(server.EndPoint.Address)));

        await Eventually.TrueAsync(async () => await Probe.TryReadNameAsync(new IPEndPoint(IPAddress.Loopback, nodePort)) == "busy", "the NodePort on 127.0.0.1 to answer");
        Assert.Equal("busy", await Probe.ReadNameAsync(service.ClusterEndPoint()));
        var warning = await Eventually.ValueAsync(
            async () => (await fixture.Client.CoreV1.ListNamespacedEventAsync(ns)).Items.FirstOrDefault(e => e.Reason == "FailedToBindPort"),
            "a Warning event about the busy address");
        Assert.Equal("Warning", warning.Type);
        Assert.Equal("busy", warning.InvolvedObject.Name);
        Assert.Equal("berth-proxy", warning.Source.Component);
        Assert.Contains($"{blocked}/TCP", warning.Message);
        Assert.Contains("in use", warning.Message, StringComparison.Ordinal);
        Assert.Contains("berth_proxy_bind_failures_total{reason=\"address-in-use\"}", await ClusterIPTests.ExportAsync(fixture.Metrics));

        blocker.Dispose();

        await Eventually.TrueAsync(async () => await Probe.TryReadNameAsync(blocked) == "busy", "the NodePort to open on the node address once it is free");
    }

    [Fact]
    public async Task ChangeOfOneService_LeavesAnotherServicesListenerTablesAndConnectionsAlone()
    {
        var ns = await fixture.NewNamespaceAsync();
        await using var steady = NameServer.Start("steady", fixture.NewAddress(), 8080);
        await using var churnA = NameServer.Start("churn-a", fixture.NewAddress(), 8080);
        await using var churnB = NameServer.Start("churn-b", fixture.NewAddress(), 8080);
        var quiet = await fixture.Client.CreateAsync(Service(ns, "quiet"));
        await fixture.Client.CreateAsync(Slice(ns, "quiet", "quiet-1", [("http", 8080, "TCP")], Endpoint(steady.EndPoint.Address)));
        var busy = await fixture.Client.CreateAsync(Service(ns, "busy"));
        await fixture.Client.CreateAsync(Slice(ns, "busy", "busy-1", [("http", 8080, "TCP")], Endpoint(churnA.EndPoint.Address)));
        await Eventually.TrueAsync(async () => await Probe.TryReadNameAsync(quiet.ClusterEndPoint()) == "steady", "the first Service to answer");
        await Eventually.TrueAsync(async () => await Probe.TryReadNameAsync(busy.ClusterEndPoint()) == "churn-a", "the second Service to answer");
        var quietPort = new ServicePortName(ns, "quiet", "http", TransportProtocol.TCP);
        var listener = fixture.Proxy.Backend.Frontend(new ListenerKey(quiet.ClusterEndPoint().Address, 80, TransportProtocol.TCP));
        var table = fixture.Proxy.Backend.Port(quietPort)!.Table(EntryKind.ClusterIP);
        using var connection = await Probe.ConnectAsync(quiet.ClusterEndPoint());
        Assert.Equal("steady", await Probe.ReadLineAsync(connection));

        for (var i = 0; i < 3; i++)
        {
            var next = i % 2 == 0 ? churnB : churnA;
            await fixture.Client.SetEndpointsAsync(ns, "busy-1", Endpoint(next.EndPoint.Address));
            await Eventually.TrueAsync(async () => await Probe.TryReadNameAsync(busy.ClusterEndPoint()) == next.Name, "the second Service to follow its slice");
        }

        await fixture.Client.ChangeServiceAsync(ns, "busy", s => s.Spec.Ports.Add(Port("extra", 81)));
        await connection.SendAsync(Encoding.ASCII.GetBytes("ping\n"), SocketFlags.None);

        Assert.Equal("ping", await Probe.ReadLineAsync(connection));
        Assert.Same(listener, fixture.Proxy.Backend.Frontend(new ListenerKey(quiet.ClusterEndPoint().Address, 80, TransportProtocol.TCP)));
        Assert.Same(table, fixture.Proxy.Backend.Port(quietPort)!.Table(EntryKind.ClusterIP));
    }
}

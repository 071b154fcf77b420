using System.Net;
using System.Net.Sockets;
using System.Text;
using Berth.Agnhost.Tests.Infrastructure;
using Berth.Proxy.Tests.Infrastructure;
using k8s;
using k8s.Models;
using Prometheus;
using static Berth.Proxy.Tests.Infrastructure.Objects;

namespace Berth.Proxy.Tests.Integration;

/// <summary>Traffic to cluster IPs: balancing, affinity, both protocols, refusal, retries, draining, PROXY protocol.</summary>
[Collection(ProxyCollection.Name)]
public sealed class ClusterIPTests(ProxyFixture fixture)
{
    [Fact]
    public async Task ClusterIP_ThreeAgnhostPods_RoundRobinReachesEachInTurn()
    {
        var ns = await fixture.NewNamespaceAsync();
        await using var pods = await AgnhostPods.StartAsync(fixture, "web", 3);
        var target = await ServeAsync(ns, "web", pods);

        var answers = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            answers.Add(await Probe.HttpGetAsync(target));
        }

        Assert.Equal(pods.Names.Order(), answers.Distinct().Order());
        Assert.Equal(answers[..3], answers[3..]);
        var metrics = await ExportAsync(fixture.Metrics);
        Assert.Contains($"berth_proxy_connections_total{{namespace=\"{ns}\",service=\"web\",port=\"http\",endpoint=\"{pods.Pods[0].Address}:9376\"}}", metrics);
    }

    [Fact]
    public async Task ClusterIP_AffinityClientIP_SticksAndSpreadsOnceSwitchedOff()
    {
        var ns = await fixture.NewNamespaceAsync();
        var servers = Enumerable.Range(0, 3).Select(i => NameServer.Start("sticky-" + i, fixture.NewAddress(), 8080)).ToList();
        await using var cleanup = new Disposables(servers);
        var spec = Service(ns, "sticky");
        spec.Spec.SessionAffinity = "ClientIP";
        var service = await fixture.Client.CreateAsync(spec);
        await fixture.Client.CreateAsync(Slice(ns, "sticky", "sticky-1", [("http", 8080, "TCP")], [.. servers.Select(s => Endpoint(s.EndPoint.Address))]));
        var target = service.ClusterEndPoint();
        var client = fixture.NewAddress();
        await Eventually.TrueAsync(async () => await Probe.TryReadNameAsync(target, client) is not null, "the cluster IP to answer");

        var sticky = new HashSet<string>();
        for (var i = 0; i < 6; i++)
        {
            sticky.Add(await Probe.ReadNameAsync(target, client));
        }

        await fixture.Client.ChangeServiceAsync(ns, "sticky", s =>
        {
            s.Spec.SessionAffinity = "None";
            s.Spec.SessionAffinityConfig = null;
        });

        Assert.Single(sticky);
        await Eventually.TrueAsync(
            async () =>
            {
                var names = new HashSet<string>();
                for (var i = 0; i < 6; i++)
                {
                    names.Add(await Probe.ReadNameAsync(target, client));
                }

                return names.Count == 3;
            },
            "connections from one client to spread once affinity is off");
    }

    [Fact]
    public async Task ClusterIP_TcpAndUdpOnOnePort_BothReachThePod()
    {
        var ns = await fixture.NewNamespaceAsync();
        var address = fixture.NewAddress();
        await using var pod = AgnhostProcess.Start(address, "dual", "netexec", "--http-port", "8053", "--udp-port", "8053");
        await pod.WaitListeningAsync(new IPEndPoint(address, 8053));
        var service = await fixture.Client.CreateAsync(Service(ns, "dual", "ClusterIP", Port("tcp", 53), Port("udp", 53, "UDP")));
        await fixture.Client.CreateAsync(Slice(ns, "dual", "dual-1", [("tcp", 8053, "TCP"), ("udp", 8053, "UDP")], Endpoint(address)));
        var target = service.ClusterEndPoint();
        await Eventually.TrueAsync(async () => await TryHttpAsync(target, "/hostname") is not null, "TCP on the cluster IP");

        var overTcp = await Probe.HttpGetAsync(target, "/hostname");
        using var udp = Probe.Udp(target);
        var overUdp = await Probe.UdpAsync(udp, "hostname", TimeSpan.FromSeconds(5));

        Assert.Equal("dual", overTcp);
        Assert.Equal("dual", overUdp);
    }

    [Fact]
    public async Task ClusterIP_EndpointsGone_RefusedAtOnce()
    {
        var ns = await fixture.NewNamespaceAsync();
        var address = fixture.NewAddress();
        await using var server = NameServer.Start("gone", address, 8080, tcp: true, udp: true);
        var service = await fixture.Client.CreateAsync(Service(ns, "gone", "ClusterIP", Port("tcp", 80), Port("udp", 81, "UDP")));
        await fixture.Client.CreateAsync(Slice(ns, "gone", "gone-1", [("tcp", 8080, "TCP"), ("udp", 8080, "UDP")], Endpoint(address)));
        var tcp = service.ClusterEndPoint(80);
        var udpTarget = service.ClusterEndPoint(81);
        await Eventually.TrueAsync(async () => await Probe.TryReadNameAsync(tcp) == "gone", "the cluster IP to answer");
        using var udp = Probe.Udp(udpTarget);
        Assert.Equal("gone", await Probe.UdpAsync(udp, "x", TimeSpan.FromSeconds(5)));

        await fixture.Client.SetEndpointsAsync(ns, "gone-1");

        await Eventually.TrueAsync(async () => await Probe.ConnectOutcomeAsync(tcp, TimeSpan.FromSeconds(5)) == Probe.Outcome.Refused, "TCP to be refused");
        var refused = await Assert.ThrowsAsync<SocketException>(async () =>
        {
            // The first datagram draws ICMP port unreachable; the connected socket reports it on the next call.
            for (var i = 0; i < 5; i++)
            {
                await Probe.UdpAsync(udp, "x", TimeSpan.FromSeconds(1));
            }
        });
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
    }

    [Fact]
    public async Task ClusterIP_KilledEndpointProcess_RetriedOnAnotherBeforeTheClientSeesIt()
    {
        var ns = await fixture.NewNamespaceAsync();
        await using var pods = await AgnhostPods.StartAsync(fixture, "retry", 3);
        var target = await ServeAsync(ns, "retry", pods);
        var killed = pods.Pods[1];

        await killed.Process.SignalAsync("KILL");
        await killed.Process.WaitForExitAsync();
        var answers = new List<string>();
        for (var i = 0; i < 9; i++)
        {
            answers.Add(await Probe.HttpGetAsync(target));
        }

        Assert.Equal(["retry-0", "retry-2"], answers.Distinct().Order());
        Assert.Contains($"retry (after {killed.Address}:9376 refused)", fixture.Proxy.RenderTrace(json: false));
        Assert.Contains($"berth_proxy_connect_failures_total{{namespace=\"{ns}\",service=\"retry\",port=\"http\",endpoint=\"{killed.Address}:9376\"}}", await ExportAsync(fixture.Metrics));
    }

    [Fact]
    public async Task KubernetesService_ClusterIP_ReachesTheApiServer()
    {
        var kubernetes = await fixture.Client.CoreV1.ReadNamespacedServiceAsync("kubernetes", "default");
        using var http = fixture.Server.CreateHttpClient();
        var url = new Uri($"https://{kubernetes.Spec.ClusterIP}:443/version");

        var version = await Eventually.ValueAsync(
            async () =>
            {
                try
                {
                    return await http.GetStringAsync(url);
                }
                catch (HttpRequestException)
                {
                    return null;
                }
            },
            "the API through the kubernetes Service");

        Assert.Contains("\"gitVersion\"", version);
    }

    [Fact]
    public async Task ProxyProtocolAnnotation_EndpointReadsTheClientAndServiceAddressesFirst()
    {
        var ns = await fixture.NewNamespaceAsync();
        await using var server = NameServer.Start("pp", fixture.NewAddress(), 8080);
        var spec = Service(ns, "pp");
        spec.Metadata.Annotations = new Dictionary<string, string> { ["proxy.berth.dev/proxy-protocol"] = "v2" };
        var service = await fixture.Client.CreateAsync(spec);
        await fixture.Client.CreateAsync(Slice(ns, "pp", "pp-1", [("http", 8080, "TCP")], Endpoint(server.EndPoint.Address)));
        var target = service.ClusterEndPoint();
        var client = fixture.NewAddress();
        await Eventually.TrueAsync(async () => await Probe.TryReadNameAsync(target, client) is not null, "the cluster IP to answer");

        using var socket = await Probe.ConnectAsync(target, client);
        await Probe.ReadLineAsync(socket);
        await socket.SendAsync(Encoding.ASCII.GetBytes("hello\n"), SocketFlags.None);
        var echoed = await Probe.ReadLineAsync(socket);
        while (!echoed.EndsWith("hello", StringComparison.Ordinal))
        {
            // The test endpoint echoes everything, the header's bytes (which hold newlines) included.
            echoed = await Probe.ReadLineAsync(socket);
        }

        var local = (IPEndPoint)socket.LocalEndPoint!;
        var first = server.FirstBytes[^1];

        Assert.EndsWith("hello", echoed);
        Assert.Equal("0D0A0D0A000D0A515549540A2111000C", Convert.ToHexString(first, 0, 16));
        Assert.Equal(client, new IPAddress(first.AsSpan(16, 4)));
        Assert.Equal(target.Address, new IPAddress(first.AsSpan(20, 4)));
        Assert.Equal(local.Port, (first[24] << 8) | first[25]);
        Assert.Equal(80, (first[26] << 8) | first[27]);
    }

    [Fact]
    public async Task EndpointRemoved_EstablishedConnectionDrainsWhileNewOnesGoElsewhere()
    {
        var ns = await fixture.NewNamespaceAsync();
        await using var old = NameServer.Start("old", fixture.NewAddress(), 8080);
        await using var replacement = NameServer.Start("new", fixture.NewAddress(), 8080);
        var service = await fixture.Client.CreateAsync(Service(ns, "drain"));
        await fixture.Client.CreateAsync(Slice(ns, "drain", "drain-1", [("http", 8080, "TCP")], Endpoint(old.EndPoint.Address)));
        var target = service.ClusterEndPoint();
        await Eventually.TrueAsync(async () => await Probe.TryReadNameAsync(target) == "old", "the old endpoint to answer");
        using var established = await Probe.ConnectAsync(target);
        Assert.Equal("old", await Probe.ReadLineAsync(established));

        await fixture.Client.SetEndpointsAsync(ns, "drain-1", Endpoint(replacement.EndPoint.Address));
        await Eventually.TrueAsync(async () => await Probe.TryReadNameAsync(target) == "new", "new connections to reach the new endpoint");
        await established.SendAsync(Encoding.ASCII.GetBytes("still there\n"), SocketFlags.None);

        Assert.Equal("still there", await Probe.ReadLineAsync(established));
    }

    /// <summary>A selector-less Service <paramref name="name"/> (http 80) whose slice lists <paramref name="pods"/>; its cluster IP once it answers.</summary>
    [Fact]
    public async Task BulkStreamBothWays_SplicedBytesArriveIntact_AndHalfCloseIsPassedOn()
    {
        var ns = await fixture.NewNamespaceAsync();
        await using var echo = NameServer.Start("echo", fixture.NewAddress(), 8080);
        var service = await fixture.Client.CreateAsync(Service(ns, "bulk"));
        await fixture.Client.CreateAsync(Slice(ns, "bulk", "bulk-1", [("http", 8080, "TCP")], Endpoint(echo.EndPoint.Address)));
        var target = service.ClusterEndPoint();
        await Eventually.TrueAsync(async () => await Probe.TryReadNameAsync(target) == "echo", "the cluster IP to answer");
        var payload = new byte[8 << 20];
        new Random(8).NextBytes(payload);
        using var socket = await Probe.ConnectAsync(target);
        Assert.Equal("echo", await Probe.ReadLineAsync(socket));

        // Far more than the copy path carries before a direction switches to splice(2), in both directions at once.
        var sending = Task.Run(async () =>
        {
            await socket.SendAsync(payload, SocketFlags.None);
            socket.Shutdown(SocketShutdown.Send);
        });
        var received = new MemoryStream();
        var buffer = new byte[65536];
        int n;
        while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None)) > 0)
        {
            received.Write(buffer, 0, n);
        }

        await sending;
        Assert.Equal(payload.Length, received.Length);
        Assert.True(payload.AsSpan().SequenceEqual(received.ToArray()), "the echoed bytes differ from the bytes sent");
    }

    private async Task<IPEndPoint> ServeAsync(string ns, string name, AgnhostPods pods)
    {
        var service = await fixture.Client.CreateAsync(Service(ns, name));
        await fixture.Client.CreateAsync(Slice(ns, name, name + "-1", [("http", AgnhostPods.Port, "TCP")], [.. pods.Pods.Select(p => Endpoint(p.Address))]));
        var target = service.ClusterEndPoint();
        await Eventually.TrueAsync(async () => await TryHttpAsync(target) is not null, "the cluster IP to answer");
        return target;
    }

    private static async Task<string?> TryHttpAsync(IPEndPoint target, string path = "/")
    {
        try
        {
            return await Probe.HttpGetAsync(target, path);
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
        {
            return null;
        }
    }

    internal static async Task<string> ExportAsync(CollectorRegistry registry)
    {
        using var stream = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}

using System.Net;
using System.Text.Json;
using Berth.Proxy.Tests.Infrastructure;
using k8s;
using k8s.Models;
using static Berth.Proxy.Tests.Infrastructure.Objects;

namespace Berth.Proxy.Tests.Integration;

/// <summary>NodePorts, load-balancer IPs, type changes and both traffic policies Local (with the health-check node port).</summary>
[Collection(ProxyCollection.Name)]
public sealed class ExternalTrafficTests(ProxyFixture fixture)
{
    private static readonly TimeSpan _dropWait = TimeSpan.FromSeconds(1.5);

    [Fact]
    public async Task NodePort_OnLoopbackAndTheNodeAddress_ReachesThePod()
    {
        var ns = await fixture.NewNamespaceAsync();
        await using var server = NameServer.Start("np", fixture.NewAddress(), 8080);
        var service = await fixture.Client.CreateAsync(Service(ns, "np", "NodePort"));
        await fixture.Client.CreateAsync(Slice(ns, "np", "np-1", [("http", 8080, "TCP")], Endpoint(server.EndPoint.Address)));
        var nodePort = service.Spec.Ports[0].NodePort!.Value;

        await Eventually.TrueAsync(async () => await Probe.TryReadNameAsync(new IPEndPoint(IPAddress.Loopback, nodePort)) == "np", "127.0.0.1:nodePort to answer");

        Assert.Equal("np", await Probe.ReadNameAsync(new IPEndPoint(fixture.NodeAddress, nodePort)));
        Assert.Equal("np", await Probe.ReadNameAsync(service.ClusterEndPoint()));
    }

    [Fact]
    public async Task LoadBalancer_IngressIP_ReachesThePod()
    {
        var ns = await fixture.NewNamespaceAsync();
        await using var server = NameServer.Start("lb", fixture.NewAddress(), 8080);
        await fixture.Client.CreateAsync(Service(ns, "lb", "LoadBalancer"));
        await fixture.Client.CreateAsync(Slice(ns, "lb", "lb-1", [("http", 8080, "TCP")], Endpoint(server.EndPoint.Address)));
        var ingress = await IngressAsync(ns, "lb");

        await Eventually.TrueAsync(async () => await Probe.TryReadNameAsync(new IPEndPoint(ingress, 80)) == "lb", "the load-balancer IP to answer");
    }

    [Fact]
    public async Task ServiceType_ClusterIPToNodePortToLoadBalancerAndBack_OpensAndClosesTheRightListeners()
    {
        var ns = await fixture.NewNamespaceAsync();
        await using var server = NameServer.Start("moving", fixture.NewAddress(), 8080);
        var service = await fixture.Client.CreateAsync(Service(ns, "moving"));
        await fixture.Client.CreateAsync(Slice(ns, "moving", "moving-1", [("http", 8080, "TCP")], Endpoint(server.EndPoint.Address)));
        var cluster = service.ClusterEndPoint();
        await Eventually.TrueAsync(async () => await Probe.TryReadNameAsync(cluster) == "moving", "the cluster IP to answer");

        var nodePortService = await fixture.Client.ChangeServiceAsync(ns, "moving", s => s.Spec.Type = "NodePort");
        var nodePort = new IPEndPoint(IPAddress.Loopback, nodePortService.Spec.Ports[0].NodePort!.Value);
        await Eventually.TrueAsync(async () => await Probe.TryReadNameAsync(nodePort) == "moving", "the NodePort to open");

        await fixture.Client.ChangeServiceAsync(ns, "moving", s => s.Spec.Type = "LoadBalancer");
        var ingress = new IPEndPoint(await IngressAsync(ns, "moving"), 80);
        await Eventually.TrueAsync(async () => await Probe.TryReadNameAsync(ingress) == "moving", "the load-balancer IP to open");
        Assert.Equal("moving", await Probe.ReadNameAsync(nodePort));

        await fixture.Client.ChangeServiceAsync(ns, "moving", s =>
        {
            s.Spec.Type = "ClusterIP";
            s.Spec.Ports[0].NodePort = null;
            s.Spec.ExternalTrafficPolicy = null;
            s.Spec.AllocateLoadBalancerNodePorts = null;
        });

        await Eventually.TrueAsync(async () => await Probe.ConnectOutcomeAsync(nodePort, _dropWait) == Probe.Outcome.Refused, "the NodePort to close");
        await Eventually.TrueAsync(async () => await Probe.ConnectOutcomeAsync(ingress, _dropWait) == Probe.Outcome.Refused, "the load-balancer IP to close");
        Assert.Equal("moving", await Probe.ReadNameAsync(cluster));
    }

    [Fact]
    public async Task InternalTrafficPolicyLocal_NoLocalEndpoint_DropsUntilOneIsLocal()
    {
        var ns = await fixture.NewNamespaceAsync();
        await using var remote = NameServer.Start("remote", fixture.NewAddress(), 8080);
        await using var local = NameServer.Start("local", fixture.NewAddress(), 8080);
        var spec = Service(ns, "itp");
        spec.Spec.InternalTrafficPolicy = "Local";
        var service = await fixture.Client.CreateAsync(spec);
        await fixture.Client.CreateAsync(Slice(ns, "itp", "itp-1", [("http", 8080, "TCP")], Endpoint(remote.EndPoint.Address, ProxyFixture.OtherNode)));
        var cluster = service.ClusterEndPoint();

        await Eventually.TrueAsync(async () => await Probe.ConnectOutcomeAsync(cluster, _dropWait) == Probe.Outcome.NoAnswer, "connects to the cluster IP to go unanswered (dropped)");
        await fixture.Client.SetEndpointsAsync(ns, "itp-1", Endpoint(remote.EndPoint.Address, ProxyFixture.OtherNode), Endpoint(local.EndPoint.Address));
        await Eventually.TrueAsync(async () => await Probe.TryReadNameAsync(cluster) == "local", "the local endpoint to answer");

        for (var i = 0; i < 4; i++)
        {
            Assert.Equal("local", await Probe.ReadNameAsync(cluster));
        }
    }

    [Fact]
    public async Task ExternalTrafficPolicyLocal_NoLocalEndpoint_NodePortDropsAndHealthCheckFailsUntilOneIsLocal()
    {
        var ns = await fixture.NewNamespaceAsync();
        await using var remote = NameServer.Start("remote", fixture.NewAddress(), 8080);
        await using var local = NameServer.Start("local", fixture.NewAddress(), 8080);
        var spec = Service(ns, "etp", "LoadBalancer");
        spec.Spec.ExternalTrafficPolicy = "Local";
        var service = await fixture.Client.CreateAsync(spec);
        await fixture.Client.CreateAsync(Slice(ns, "etp", "etp-1", [("http", 8080, "TCP")], Endpoint(remote.EndPoint.Address, ProxyFixture.OtherNode)));
        var nodePort = new IPEndPoint(IPAddress.Loopback, service.Spec.Ports[0].NodePort!.Value);
        var healthCheck = new Uri($"http://127.0.0.1:{service.Spec.HealthCheckNodePort}/any/path");
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });

        await Eventually.TrueAsync(async () => await Probe.ConnectOutcomeAsync(nodePort, _dropWait) == Probe.Outcome.NoAnswer, "the NodePort to drop");
        Assert.Equal("remote", await Probe.ReadNameAsync(service.ClusterEndPoint()));
        var failing = await Eventually.ValueAsync(() => TryGetAsync(http, healthCheck), "the health-check node port to answer");
        await fixture.Client.SetEndpointsAsync(ns, "etp-1", Endpoint(remote.EndPoint.Address, ProxyFixture.OtherNode), Endpoint(local.EndPoint.Address));
        await Eventually.TrueAsync(async () => await Probe.TryReadNameAsync(nodePort) == "local", "the NodePort to reach the local endpoint");
        using var passing = await http.GetAsync(healthCheck);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failing.StatusCode);
        Assert.Equal("0", failing.Headers.GetValues("X-Load-Balancing-Endpoint-Weight").Single());
        using var body = JsonDocument.Parse(await failing.Content.ReadAsStringAsync());
        Assert.Equal(ns, body.RootElement.GetProperty("service").GetProperty("namespace").GetString());
        Assert.Equal("etp", body.RootElement.GetProperty("service").GetProperty("name").GetString());
        Assert.Equal(0, body.RootElement.GetProperty("localEndpoints").GetInt32());
        Assert.True(body.RootElement.GetProperty("serviceProxyHealthy").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, passing.StatusCode);
        Assert.Equal("application/json", passing.Content.Headers.ContentType!.MediaType);
        Assert.Equal("nosniff", passing.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("\"localEndpoints\": 1", await passing.Content.ReadAsStringAsync());
        failing.Dispose();
    }

    private async Task<IPAddress> IngressAsync(string ns, string name)
    {
        var ip = await Eventually.ValueAsync(
            async () => (await fixture.Client.CoreV1.ReadNamespacedServiceAsync(name, ns)).Status?.LoadBalancer?.Ingress?.FirstOrDefault()?.Ip,
            "a load-balancer IP");
        return IPAddress.Parse(ip);
    }

    private static async Task<HttpResponseMessage?> TryGetAsync(HttpClient http, Uri url)
    {
        try
        {
            return await http.GetAsync(url);
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }
}

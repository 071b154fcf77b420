using System.Net;
using Berth.ApiServer.Tests.Infrastructure;
using Berth.Proxy.Tests.Infrastructure;
using k8s;
using Prometheus;
using static Berth.Proxy.Tests.Infrastructure.Objects;

namespace Berth.Proxy.Tests.Integration;

/// <summary>The data plane keeps the last known state while the API server is gone (the informers keep retrying).</summary>
public sealed class ApiServerDownTests
{
    [Fact]
    public async Task ApiServerStopped_ProxyKeepsServingTheLastState()
    {
        using var block = AddressBlock.Claim();
        var server = new BerthServer(o =>
        {
            o.ServiceCidr = block.ServiceCidr;
            o.ServiceNodePortRange = block.NodePortRange;
        });
        await server.InitializeAsync();
        var (informers, proxy) = await ProxyFixture.StartProxyAsync(server, block, Metrics.NewCustomRegistry());
        await using var endpoint = NameServer.Start("survivor", IPAddress.Parse(block.Spare(10)), 8080);
        var stopped = false;
        try
        {
            await server.Client.CoreV1.CreateNamespaceAsync(new k8s.Models.V1Namespace { Metadata = new() { Name = "down" } });
            var service = await server.Client.CreateAsync(Service("down", "web", "NodePort"));
            await server.Client.CreateAsync(Slice("down", "web", "web-1", [("http", 8080, "TCP")], Endpoint(endpoint.EndPoint.Address)));
            var cluster = service.ClusterEndPoint();
            var nodePort = new IPEndPoint(IPAddress.Loopback, service.Spec.Ports[0].NodePort!.Value);
            await Eventually.TrueAsync(async () => await Probe.TryReadNameAsync(cluster) == "survivor", "the Service to answer");

            await server.DisposeAsync();
            stopped = true;
            using var http = new HttpClient();
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => http.GetAsync(new Uri(server.Host.Url + "/healthz")));

            for (var i = 0; i < 5; i++)
            {
                Assert.Equal("survivor", await Probe.ReadNameAsync(cluster));
                Assert.Equal("survivor", await Probe.ReadNameAsync(nodePort));
            }
        }
        finally
        {
            await proxy.DisposeAsync();
            await informers.DisposeAsync();
            if (!stopped)
            {
                await server.DisposeAsync();
            }
        }
    }
}

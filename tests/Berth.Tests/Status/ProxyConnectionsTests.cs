using Berth.Status;

namespace Berth.Tests.Status;

public sealed class ProxyConnectionsTests
{
    private static readonly ServiceStatus _web = new("default", "web", "ClusterIP", "127.96.0.20", [], [], null, [], []);

    [Fact]
    public void Count_FromThePrometheusText_PerServicePortAndEndpoint()
    {
        var connections = ProxyConnections.Parse("""
            # HELP berth_proxy_endpoint_active_connections TCP connections and UDP flows open to the endpoint now.
            # TYPE berth_proxy_endpoint_active_connections gauge
            berth_proxy_endpoint_active_connections{namespace="default",service="web",port="http",endpoint="127.244.0.2:9376"} 3
            berth_proxy_endpoint_active_connections{namespace="default",service="web",port="",endpoint="127.244.0.3:9376"} 1
            berth_proxy_connections_total{namespace="default",service="web",port="http",endpoint="127.244.0.4:9376"} 7
            """);
        var http = new PortStatus("http", 80, "TCP", null, "http", []);
        var unnamed = new PortStatus(null, 81, "TCP", null, "9376", []);

        Assert.Equal(3, connections.Count(_web, http, Endpoint("127.244.0.2")));
        Assert.Equal(1, connections.Count(_web, unnamed, Endpoint("127.244.0.3")));
        Assert.Null(connections.Count(_web, http, Endpoint("127.244.0.4")));
        Assert.Null(connections.Count(_web with { Namespace = "other" }, http, Endpoint("127.244.0.2")));
    }

    private static EndpointStatus Endpoint(string address) => new(address, 9376, "ready", null, null);
}

using Berth.Node.Pods;
using k8s.Models;

namespace Berth.Node.Tests.Pods;

public sealed class ServiceEnvironmentTests
{
    [Fact]
    public void For_NamedPorts_GiveTheKubeletVariablesInOrder()
    {
        var services = new[] { Service("ns", "redis-primary", "10.0.0.11", ("redis", 6379, "TCP"), ("metrics", 9121, "UDP")) };

        var env = ServiceEnvironment.For("ns", enableServiceLinks: true, services);

        Assert.Equal(
            [
                "REDIS_PRIMARY_SERVICE_HOST=10.0.0.11",
                "REDIS_PRIMARY_SERVICE_PORT=6379",
                "REDIS_PRIMARY_SERVICE_PORT_REDIS=6379",
                "REDIS_PRIMARY_SERVICE_PORT_METRICS=9121",
                "REDIS_PRIMARY_PORT=tcp://10.0.0.11:6379",
                "REDIS_PRIMARY_PORT_6379_TCP=tcp://10.0.0.11:6379",
                "REDIS_PRIMARY_PORT_6379_TCP_PROTO=tcp",
                "REDIS_PRIMARY_PORT_6379_TCP_PORT=6379",
                "REDIS_PRIMARY_PORT_6379_TCP_ADDR=10.0.0.11",
                "REDIS_PRIMARY_PORT_9121_UDP=udp://10.0.0.11:9121",
                "REDIS_PRIMARY_PORT_9121_UDP_PROTO=udp",
                "REDIS_PRIMARY_PORT_9121_UDP_PORT=9121",
                "REDIS_PRIMARY_PORT_9121_UDP_ADDR=10.0.0.11",
            ],
            env.Select(e => e.Key + "=" + e.Value));
    }

    [Fact]
    public void For_ChoosesServicesAsTheKubelet()
    {
        var services = new[]
        {
            Service("default", "kubernetes", "10.0.0.1", (null, 443, "TCP")),
            Service("ns", "web", "10.0.0.2", (null, 80, null)),
            Service("other", "db", "10.0.0.3", (null, 5432, "TCP")),
            Service("ns", "headless", "None", (null, 80, "TCP")),
            Service("default", "web2", "10.0.0.4", (null, 80, "TCP")),
        };

        var linked = ServiceEnvironment.For("ns", enableServiceLinks: true, services).Select(e => e.Key).ToList();
        var unlinked = ServiceEnvironment.For("ns", enableServiceLinks: false, services).Select(e => e.Key).ToList();

        Assert.Contains("KUBERNETES_SERVICE_HOST", linked);
        Assert.Contains("WEB_PORT_80_TCP", linked); // an empty protocol is TCP
        Assert.DoesNotContain("DB_SERVICE_HOST", linked);
        Assert.DoesNotContain("HEADLESS_SERVICE_HOST", linked);
        Assert.DoesNotContain("WEB2_SERVICE_HOST", linked);
        Assert.Equal(["KUBERNETES_SERVICE_HOST", "KUBERNETES_SERVICE_PORT", "KUBERNETES_PORT", "KUBERNETES_PORT_443_TCP", "KUBERNETES_PORT_443_TCP_PROTO", "KUBERNETES_PORT_443_TCP_PORT", "KUBERNETES_PORT_443_TCP_ADDR"], unlinked);
    }

    [Fact]
    public void For_AKubernetesServiceInThePodNamespace_WinsOverTheDefaultOne()
    {
        var services = new[] { Service("default", "kubernetes", "10.0.0.1", (null, 443, "TCP")), Service("ns", "kubernetes", "10.0.0.9", (null, 443, "TCP")) };

        var env = ServiceEnvironment.For("ns", enableServiceLinks: true, services);

        Assert.Equal("10.0.0.9", env.Single(e => e.Key == "KUBERNETES_SERVICE_HOST").Value);
    }

    private static V1Service Service(string ns, string name, string ip, params (string? Name, int Port, string? Protocol)[] ports) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new V1ServiceSpec { ClusterIP = ip, Ports = [.. ports.Select(p => new V1ServicePort { Name = p.Name, Port = p.Port, Protocol = p.Protocol })] },
    };
}

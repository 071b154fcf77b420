using Berth.Status;
using k8s.Models;
using Spectre.Console.Testing;

namespace Berth.Tests.Status;

public sealed class StatusPlannerTests
{
    private static V1Service Service(string name, params V1ServicePort[] ports) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
        Spec = new V1ServiceSpec { Type = "ClusterIP", ClusterIP = "127.96.0.20", Ports = ports },
    };

    private static V1EndpointSlice Slice(string service, string name, Discoveryv1EndpointPort[] ports, params V1Endpoint[] endpoints) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", Labels = new Dictionary<string, string> { ["kubernetes.io/service-name"] = service } },
        AddressType = "IPv4",
        Ports = ports,
        Endpoints = endpoints,
    };

    private static V1Endpoint Endpoint(string ip, string pod, bool? ready = true, bool? serving = null, bool? terminating = null) => new()
    {
        Addresses = [ip],
        Conditions = new V1EndpointConditions { Ready = ready, Serving = serving, Terminating = terminating },
        TargetRef = new V1ObjectReference { Kind = "Pod", Name = pod, NamespaceProperty = "default" },
        NodeName = "n1",
    };

    private static V1Pod Pod(string name, int restarts) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
        Spec = new V1PodSpec { NodeName = "n1" },
        Status = new V1PodStatus { Phase = "Running", ContainerStatuses = [new V1ContainerStatus { RestartCount = restarts }] },
    };

    [Fact]
    public void Build_NamedPortsAcrossSlices_MatchByNameAndProtocol_DeduplicatedByAddress()
    {
        var service = Service("web", new V1ServicePort { Name = "http", Port = 80, Protocol = "TCP", TargetPort = "http" }, new V1ServicePort { Name = "dns", Port = 53, Protocol = "UDP" });
        var a = Slice("web", "web-a", [new Discoveryv1EndpointPort { Name = "http", Port = 8080, Protocol = "TCP" }], Endpoint("127.244.0.2", "p1"), Endpoint("127.244.0.3", "p2", ready: false, serving: true, terminating: true));
        var b = Slice("web", "web-b", [new Discoveryv1EndpointPort { Name = "http", Port = 9090, Protocol = "TCP" }], Endpoint("127.244.0.4", "p3"), Endpoint("127.244.0.2", "p1"));
        var other = Slice("db", "db-a", [new Discoveryv1EndpointPort { Name = "http", Port = 1, Protocol = "TCP" }], Endpoint("127.244.0.9", "x"));

        var status = StatusPlanner.Build([service], [a, b, other], [Pod("p1", 0), Pod("p2", 3), Pod("p3", 1)], []);

        var svc = Assert.Single(status.Services);
        var http = svc.Ports[0];
        Assert.Equal(["127.244.0.2:8080 ready p1", "127.244.0.3:8080 terminating (serving) p2", "127.244.0.4:9090 ready p3"],
            http.Endpoints.Select(e => $"{e.Address}:{e.Port} {e.Condition} {e.Pod?.Name}"));
        Assert.Equal(3, http.Endpoints[1].Pod!.Restarts);
        Assert.Empty(svc.Ports[1].Endpoints);
    }

    [Fact]
    public void Build_HeadlessWithoutPorts_ListsEndpointsUnderTheService()
    {
        var service = Service("db");
        service.Spec.ClusterIP = "None";
        var slice = Slice("db", "db-a", [], Endpoint("127.244.0.7", "db-0", ready: null));

        var status = StatusPlanner.Build([service], [slice], [], []);

        var endpoint = Assert.Single(status.Services[0].PortlessEndpoints);
        Assert.Equal("ready", endpoint.Condition); // ready nil ⇒ ready (§1.7)
    }

    [Fact]
    public void Render_DrawsServicePortEndpointPodAndNode()
    {
        var service = Service("web", new V1ServicePort { Name = "http", Port = 80, Protocol = "TCP", TargetPort = 8080 });
        service.Spec.Type = "NodePort";
        service.Spec.Ports[0].NodePort = 30080;
        var slice = Slice("web", "web-a", [new Discoveryv1EndpointPort { Name = "http", Port = 8080, Protocol = "TCP" }], Endpoint("127.244.0.2", "p1"));
        var node = new V1Node
        {
            Metadata = new V1ObjectMeta { Name = "n1" },
            Spec = new V1NodeSpec { PodCIDR = "127.244.0.0/24" },
            Status = new V1NodeStatus { Conditions = [new V1NodeCondition { Type = "Ready", Status = "True" }], Addresses = [new V1NodeAddress { Type = "InternalIP", Address = "127.0.0.1" }] },
        };
        var console = new TestConsole().Width(200);

        console.Write(StatusView.Render(StatusPlanner.Build([service], [slice], [Pod("p1", 1)], [node]), (_, _, _) => 4));

        var output = console.Output;
        Assert.Contains("│ n1   │ Ready │ 127.0.0.1 │ 127.244.0.0/24 │ 1    │", output, StringComparison.Ordinal);
        Assert.Contains("svc/web NodePort  127.96.0.20", output, StringComparison.Ordinal);
        Assert.Contains("http 80/TCP nodePort 30080 → 8080", output, StringComparison.Ordinal);
        Assert.Contains("127.244.0.2:8080 ready 4 conn  pod/p1 Running, 1 restart, node n1", output, StringComparison.Ordinal);
    }
}

using System.Net;
using System.Text;
using k8s;
using k8s.Models;

namespace Berth.Node.Tests.Streams;

[Collection(StreamsCollection.Name)]
public sealed class ProxyTests(StreamsCluster cluster)
{
    private async Task<(TestHttpBackend Backend, string Ip)> ServiceWithEndpointAsync(string name, string? portName)
    {
        var ip = cluster.NextPodIp();
        var backend = new TestHttpBackend(ip, name);
        await cluster.AddPodAsync(name, ip, null, [new V1ContainerPort { Name = "http", ContainerPort = backend.Port }], cluster.Start("main", ["sleep", "300"]));
        await cluster.Client.CoreV1.CreateNamespacedServiceAsync(
            new V1Service
            {
                Metadata = new V1ObjectMeta { Name = name },
                Spec = new V1ServiceSpec { Selector = new Dictionary<string, string> { ["app"] = name }, Ports = [new V1ServicePort { Name = portName, Port = 8080, TargetPort = backend.Port }] },
            },
            "default");
        // No controllers run in this fixture: the EndpointSlice the EndpointSlice controller would write.
        await cluster.Client.DiscoveryV1.CreateNamespacedEndpointSliceAsync(
            new V1EndpointSlice
            {
                Metadata = new V1ObjectMeta { Name = name + "-abcde", Labels = new Dictionary<string, string> { ["kubernetes.io/service-name"] = name } },
                AddressType = "IPv4",
                Endpoints = [new V1Endpoint { Addresses = [ip], Conditions = new V1EndpointConditions { Ready = true } }],
                Ports = [new Discoveryv1EndpointPort { Name = portName ?? "", Port = backend.Port, Protocol = "TCP" }],
            },
            "default");
        return (backend, ip);
    }

    [Fact]
    public async Task KubectlGetRawServiceProxy_ReachesAnEndpoint_QueryKept()
    {
        var (backend, _) = await ServiceWithEndpointAsync("proxy-svc", "web");
        await using var _ = backend;

        var byNumber = await cluster.Kubectl.OkAsync("get", "--raw", "/api/v1/namespaces/default/services/proxy-svc:8080/proxy/some/path?x=1");
        var byName = await cluster.Kubectl.OkAsync("get", "--raw", "/api/v1/namespaces/default/services/http:proxy-svc:web/proxy/");

        Assert.Equal("proxy-svc: GET /some/path?x=1 ", byNumber);
        Assert.Equal("proxy-svc: GET / ", byName);
    }

    [Fact]
    public async Task PodProxy_AllVerbsAndBodies_AndRedirectsToTrailingSlash()
    {
        var (backend, _) = await ServiceWithEndpointAsync("proxy-pod", null);
        await using var _ = backend;
        using var http = cluster.Server.CreateHttpClient();
        var port = backend.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var viaKubectl = await cluster.Kubectl.OkAsync("get", "--raw", $"/api/v1/namespaces/default/pods/proxy-pod:{port}/proxy/hello");
        var posted = await http.PostAsync($"/api/v1/namespaces/default/pods/proxy-pod:{port}/proxy/echo", new StringContent("payload", Encoding.UTF8));
        var deleted = await http.DeleteAsync($"/api/v1/namespaces/default/pods/proxy-pod:{port}/proxy/thing");
        using var noRedirect = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, ServerCertificateCustomValidationCallback = (_, _, _, _) => true }) { BaseAddress = http.BaseAddress };
        noRedirect.DefaultRequestHeaders.Authorization = http.DefaultRequestHeaders.Authorization;
        var redirect = await noRedirect.GetAsync($"/api/v1/namespaces/default/pods/proxy-pod:{port}/proxy?a=b");
        var byPortName = await http.GetStringAsync("/api/v1/namespaces/default/pods/proxy-pod:http/proxy/named");

        Assert.Equal("proxy-pod: GET /hello ", viaKubectl);
        Assert.Equal("proxy-pod: POST /echo payload", await posted.Content.ReadAsStringAsync());
        Assert.Equal("proxy-pod: DELETE /thing ", await deleted.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.MovedPermanently, redirect.StatusCode);
        Assert.Equal($"/api/v1/namespaces/default/pods/proxy-pod:{port}/proxy/?a=b", redirect.Headers.Location!.OriginalString);
        Assert.Equal("proxy-pod: GET /named ", byPortName);
    }

    [Fact]
    public async Task ServiceProxy_NoEndpoints_ServiceUnavailable()
    {
        await cluster.Client.CoreV1.CreateNamespacedServiceAsync(
            new V1Service { Metadata = new V1ObjectMeta { Name = "proxy-empty" }, Spec = new V1ServiceSpec { Selector = new Dictionary<string, string> { ["app"] = "none" }, Ports = [new V1ServicePort { Port = 80 }] } },
            "default");

        var result = await cluster.Kubectl.RunAsync(["get", "--raw", "/api/v1/namespaces/default/services/proxy-empty/proxy/"]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("ServiceUnavailable", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("no endpoints available for service \"proxy-empty\"", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NodeProxy_ReachesTheAgent()
    {
        var healthz = await cluster.Kubectl.OkAsync("get", "--raw", $"/api/v1/nodes/{StreamsCluster.NodeName}/proxy/healthz");

        Assert.Equal("ok", healthz);
    }

    [Fact]
    public async Task Discovery_ListsTheStreamingSubresources()
    {
        var resources = await cluster.Kubectl.OkAsync("get", "--raw", "/api/v1");

        foreach (var name in new[] { "pods/log", "pods/exec", "pods/attach", "pods/portforward", "pods/proxy", "services/proxy", "nodes/proxy" })
        {
            Assert.Contains($"\"name\":\"{name}\"", resources, StringComparison.Ordinal);
        }
    }
}

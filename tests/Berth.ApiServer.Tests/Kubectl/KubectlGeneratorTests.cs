using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Berth.ApiServer.Tests.Infrastructure;
using k8s;

namespace Berth.ApiServer.Tests.Kubectl;

/// <summary>
/// kubectl's generator commands send their objects as Kubernetes protobuf (application/vnd.kubernetes.protobuf); each
/// test runs the installed kubectl and reads the object back through the JSON API.
/// </summary>
public sealed class KubectlGeneratorTests : IClassFixture<BerthServer>
{
    private readonly BerthServer _server;
    private readonly Infrastructure.Kubectl _kubectl;

    public KubectlGeneratorTests(BerthServer server)
    {
        _server = server;
        _kubectl = new Infrastructure.Kubectl(server.KubeconfigPath, server.DataDir);
    }

    [Fact]
    public async Task CreateNamespace_Protobuf_Created()
    {
        var output = await _kubectl.OkAsync("create", "namespace", "gen");

        var ns = await _server.Client.CoreV1.ReadNamespaceAsync("gen");
        Assert.Equal("namespace/gen created", output.Trim());
        Assert.Equal("gen", ns.Metadata.Name);
        Assert.Equal("Active", ns.Status.Phase);
    }

    [Fact]
    public async Task CreateConfigMap_FromLiteral_DataStored()
    {
        await _kubectl.OkAsync("create", "namespace", "gen-cm");

        var output = await _kubectl.OkAsync("create", "configmap", "cm", "--from-literal=a=b", "--from-literal=c=d", "-n", "gen-cm");

        var configMap = await _server.Client.CoreV1.ReadNamespacedConfigMapAsync("cm", "gen-cm");
        Assert.Equal("configmap/cm created", output.Trim());
        Assert.Equal(new Dictionary<string, string> { ["a"] = "b", ["c"] = "d" }, configMap.Data);
        Assert.Null(configMap.BinaryData);
    }

    [Fact]
    public async Task CreateDeployment_ImageReplicasPort_SpecStored()
    {
        await _kubectl.OkAsync("create", "namespace", "gen-deploy");

        var output = await _kubectl.OkAsync("create", "deployment", "web", "--image=nginx:1.27", "--replicas=2", "--port=8080", "-n", "gen-deploy");

        var deployment = await _server.Client.AppsV1.ReadNamespacedDeploymentAsync("web", "gen-deploy");
        Assert.Equal("deployment.apps/web created", output.Trim());
        Assert.Equal(2, deployment.Spec.Replicas);
        Assert.Equal("web", deployment.Spec.Selector.MatchLabels["app"]);
        Assert.Equal("web", deployment.Spec.Template.Metadata.Labels["app"]);
        var container = Assert.Single(deployment.Spec.Template.Spec.Containers);
        Assert.Equal("nginx", container.Name);
        Assert.Equal("nginx:1.27", container.Image);
        var port = Assert.Single(container.Ports);
        Assert.Equal(8080, port.ContainerPort);
        Assert.Equal("TCP", port.Protocol);
        Assert.Null(port.HostPort);
    }

    [Fact]
    public async Task CreateServiceNodePort_Tcp_PortsAndNodePortAllocated()
    {
        await _kubectl.OkAsync("create", "namespace", "gen-np");

        var output = await _kubectl.OkAsync("create", "service", "nodeport", "np", "--tcp=80:8080", "-n", "gen-np");

        var service = await _server.Client.CoreV1.ReadNamespacedServiceAsync("np", "gen-np");
        Assert.Equal("service/np created", output.Trim());
        Assert.Equal("NodePort", service.Spec.Type);
        Assert.Equal("np", service.Spec.Selector["app"]);
        var port = Assert.Single(service.Spec.Ports);
        Assert.Equal("80-8080", port.Name);
        Assert.Equal(80, port.Port);
        Assert.Equal("8080", port.TargetPort.Value);
        Assert.Equal("TCP", port.Protocol);
        Assert.InRange(port.NodePort ?? 0, 30000, 32767);
        Assert.False(string.IsNullOrEmpty(service.Spec.ClusterIP));
    }

    [Theory]
    [InlineData("clusterip", "ClusterIP")]
    [InlineData("loadbalancer", "LoadBalancer")]
    public async Task CreateService_OtherTypes_Created(string generator, string type)
    {
        var ns = "gen-" + generator;
        await _kubectl.OkAsync("create", "namespace", ns);

        var output = await _kubectl.OkAsync("create", "service", generator, "s", "--tcp=443", "-n", ns);

        var service = await _server.Client.CoreV1.ReadNamespacedServiceAsync("s", ns);
        Assert.Equal("service/s created", output.Trim());
        Assert.Equal(type, service.Spec.Type);
        var port = Assert.Single(service.Spec.Ports);
        Assert.Equal(443, port.Port);
        Assert.Equal("443", port.TargetPort.Value);
    }

    [Fact]
    public async Task Run_PodWithEnvLabelsAndCommand_SpecStored()
    {
        await _kubectl.OkAsync("create", "namespace", "gen-run");

        var output = await _kubectl.OkAsync("run", "p", "--image=busybox", "--restart=Never", "--env=A=1", "--labels=app=p", "-n", "gen-run", "--", "sleep", "10");

        var pod = await _server.Client.CoreV1.ReadNamespacedPodAsync("p", "gen-run");
        Assert.Equal("pod/p created", output.Trim());
        Assert.Equal("p", pod.Metadata.Labels["app"]);
        Assert.Equal("Never", pod.Spec.RestartPolicy);
        var container = Assert.Single(pod.Spec.Containers);
        Assert.Equal("p", container.Name);
        Assert.Equal("busybox", container.Image);
        Assert.Equal(["sleep", "10"], container.Args);
        Assert.Null(container.Command);
        var env = Assert.Single(container.Env);
        Assert.Equal(("A", "1"), (env.Name, env.Value));
    }

    [Fact]
    public async Task Run_WithCommandFlag_CommandStored()
    {
        await _kubectl.OkAsync("create", "namespace", "gen-cmd");

        await _kubectl.OkAsync("run", "c", "--image=busybox", "--restart=Never", "--command", "-n", "gen-cmd", "--", "sh", "-c", "echo hi");

        var pod = await _server.Client.CoreV1.ReadNamespacedPodAsync("c", "gen-cmd");
        var container = Assert.Single(pod.Spec.Containers);
        Assert.Equal(["sh", "-c", "echo hi"], container.Command);
        Assert.Null(container.Args);
    }

    [Fact]
    public async Task Post_ProtobufKindWithoutSchema_BadRequest()
    {
        using var http = _server.CreateHttpClient();
        // k8s\0 + Unknown{typeMeta{apiVersion "v1", kind "Endpoints"}}
        byte[] body = [.. "k8s\0"u8, 0x0a, 0x0f, 0x0a, 0x02, .. "v1"u8, 0x12, 0x09, .. "Endpoints"u8];
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.kubernetes.protobuf");

        using var response = await http.PostAsync("/api/v1/namespaces/default/endpoints", content);

        var status = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("no protobuf decoding is known for v1, Kind=Endpoints", status["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}

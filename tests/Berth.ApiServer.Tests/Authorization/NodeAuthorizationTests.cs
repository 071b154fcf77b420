using System.Net;
using System.Text;
using Berth.ApiServer.Security;
using Berth.ApiServer.Tests.Infrastructure;
using k8s;
using k8s.Models;

namespace Berth.ApiServer.Tests.Authorization;

/// <summary>
/// Node identities: <c>system:node:&lt;name&gt;</c> in <c>system:nodes</c>, given by the in-process transport (as
/// <c>berth up</c>'s agent, proxy and DNS) or by a node kubeconfig the cluster CA issued (a remote <c>berth agent</c>).
/// The Node authorizer and NodeRestriction keep a node to what a kubelet, the proxy and the DNS need.
/// </summary>
public sealed class NodeAuthorizationTests : IClassFixture<BerthServer>, IAsyncLifetime
{
    private readonly BerthServer _server;

    public NodeAuthorizationTests(BerthServer server) => _server = server;

    public async Task InitializeAsync()
    {
        var admin = _server.Client;
        if ((await admin.CoreV1.ListNamespacedPodAsync("default")).Items.Any(p => p.Metadata.Name == "on-n1"))
        {
            return;
        }

        await admin.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "used" }, Data = new Dictionary<string, string> { ["k"] = "v" } }, "default");
        await admin.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "unused" } }, "default");
        await admin.CoreV1.CreateNamespacedPodAsync(Pod("on-n1", "n1", configMap: "used"), "default");
        await admin.CoreV1.CreateNamespacedPodAsync(Pod("on-n2", "n2", configMap: null), "default");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task InProcessNode_OwnPodStatus_Updated()
    {
        using var node = await InProcessNodeAsync("n1");
        var pod = await GetJsonAsync(node, "/api/v1/namespaces/default/pods/on-n1");

        using var response = await node.PutAsync("/api/v1/namespaces/default/pods/on-n1/status", Json(pod.Replace("\"phase\":\"Pending\"", "\"phase\":\"Running\"", StringComparison.Ordinal)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Running", (await _server.Client.CoreV1.ReadNamespacedPodAsync("on-n1", "default")).Status.Phase);
    }

    [Fact]
    public async Task InProcessNode_OtherNodesPodStatus_Forbidden()
    {
        using var node = await InProcessNodeAsync("n1");
        var pod = await GetJsonAsync(node, "/api/v1/namespaces/default/pods/on-n2");

        var status = await FailsAsync(node.PutAsync("/api/v1/namespaces/default/pods/on-n2/status", Json(pod)), 403);

        Assert.Equal("pods \"on-n2\" is forbidden: node \"n1\" can only update pod status for pods with spec.nodeName set to itself", status.Message);
    }

    [Fact]
    public async Task InProcessNode_WriteService_Forbidden()
    {
        using var node = await InProcessNodeAsync("n1");

        var status = await FailsAsync(node.PostAsync("/api/v1/namespaces/default/services", Json("""{"metadata":{"name":"s"},"spec":{"ports":[{"port":80}]}}""")), 403);

        Assert.Equal("services is forbidden: User \"system:node:n1\" cannot create resource \"services\" in API group \"\" in the namespace \"default\"", status.Message);
    }

    [Fact]
    public async Task InProcessNode_Secret_ForbiddenWithoutRelationship()
    {
        using var node = await InProcessNodeAsync("n1");

        var status = await FailsAsync(node.GetAsync("/api/v1/namespaces/default/secrets/token"), 403);

        Assert.Equal(
            "secrets \"token\" is forbidden: User \"system:node:n1\" cannot get resource \"secrets\" in API group \"\" in the namespace \"default\": no relationship found between node 'n1' and this object",
            status.Message);
    }

    [Fact]
    public async Task InProcessNode_ConfigMaps_OnlyThoseItsPodsReference()
    {
        using var node = await InProcessNodeAsync("n1");
        using var other = await InProcessNodeAsync("n2");

        using var used = await node.GetAsync("/api/v1/namespaces/default/configmaps/used");
        var unused = await FailsAsync(node.GetAsync("/api/v1/namespaces/default/configmaps/unused"), 403);
        var notMine = await FailsAsync(other.GetAsync("/api/v1/namespaces/default/configmaps/used"), 403);
        var list = await FailsAsync(node.GetAsync("/api/v1/namespaces/default/configmaps"), 403);

        Assert.Equal(HttpStatusCode.OK, used.StatusCode);
        Assert.EndsWith("no relationship found between node 'n1' and this object", unused.Message, StringComparison.Ordinal);
        Assert.EndsWith("no relationship found between node 'n2' and this object", notMine.Message, StringComparison.Ordinal);
        Assert.Equal("configmaps is forbidden: User \"system:node:n1\" cannot list resource \"configmaps\" in API group \"\" in the namespace \"default\": No Object name found", list.Message);
    }

    [Fact]
    public async Task InProcessNode_ReadsWhatProxyAndDnsWatch()
    {
        using var node = await InProcessNodeAsync("n1");

        foreach (var path in new[] { "/api/v1/services", "/apis/discovery.k8s.io/v1/endpointslices", "/api/v1/nodes", "/api/v1/namespaces", "/api/v1/pods?fieldSelector=spec.nodeName%3Dn1" })
        {
            using var response = await node.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    [Fact]
    public async Task InProcessNode_DnsSlice_OnlyItsOwn()
    {
        using var node = await InProcessNodeAsync("n1");

        using var own = await node.PostAsync("/apis/discovery.k8s.io/v1/namespaces/kube-system/endpointslices", Json(Slice("kube-dns-n1")));
        var other = await FailsAsync(node.PostAsync("/apis/discovery.k8s.io/v1/namespaces/kube-system/endpointslices", Json(Slice("kube-dns-n2"))), 403);
        var elsewhere = await FailsAsync(node.PostAsync("/apis/discovery.k8s.io/v1/namespaces/default/endpointslices", Json(Slice("kube-dns-n1"))), 403);
        using var delete = await node.DeleteAsync("/apis/discovery.k8s.io/v1/namespaces/kube-system/endpointslices/kube-dns-n1");

        Assert.Equal(HttpStatusCode.Created, own.StatusCode);
        Assert.Equal("endpointslices.discovery.k8s.io \"kube-dns-n2\" is forbidden: node \"n1\" can only write the EndpointSlice \"kube-dns-n1\" in the \"kube-system\" namespace", other.Message);
        Assert.Equal("endpointslices.discovery.k8s.io \"kube-dns-n1\" is forbidden: node \"n1\" can only write the EndpointSlice \"kube-dns-n1\" in the \"kube-system\" namespace", elsewhere.Message);
        Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
    }

    [Fact]
    public async Task InProcessNode_NodeAndLease_OnlyItsOwn()
    {
        using var node = await InProcessNodeAsync("n3");

        using var created = await node.PostAsync("/api/v1/nodes", Json("""{"metadata":{"name":"n3","labels":{"kubernetes.io/hostname":"n3"}}}"""));
        var otherNode = await FailsAsync(node.PostAsync("/api/v1/nodes", Json("""{"metadata":{"name":"n4"}}""")), 403);
        var label = await FailsAsync(node.PostAsync("/api/v1/nodes", Json("""{"metadata":{"name":"n3","labels":{"node-role.kubernetes.io/control-plane":""}}}""")), 403);
        using var lease = await node.PostAsync("/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases", Json("""{"metadata":{"name":"n3"},"spec":{"holderIdentity":"n3"}}"""));
        var otherLease = await FailsAsync(node.PostAsync("/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases", Json("""{"metadata":{"name":"n4"}}""")), 403);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("nodes \"n4\" is forbidden: node \"n3\" is not allowed to modify node \"n4\"", otherNode.Message);
        Assert.Equal("nodes \"n3\" is forbidden: node \"n3\" is not allowed to set the following labels: node-role.kubernetes.io/control-plane", label.Message);
        Assert.Equal(HttpStatusCode.Created, lease.StatusCode);
        Assert.Equal("leases.coordination.k8s.io \"n4\" is forbidden: can only access node lease with the same name as the requesting node", otherLease.Message);
    }

    [Fact]
    public async Task InProcessNode_DeleteOtherNodesPod_Forbidden()
    {
        using var node = await InProcessNodeAsync("n1");

        var status = await FailsAsync(node.DeleteAsync("/api/v1/namespaces/default/pods/on-n2"), 403);

        Assert.Equal("pods \"on-n2\" is forbidden: node \"n1\" can only delete pods with spec.nodeName set to itself", status.Message);
    }

    [Fact]
    public async Task NodeKubeconfig_IssuedByServer_ActsAsThatNodeOnly()
    {
        var path = NodeCredentials.Write(_server.Host.Credentials, _server.DataDir, _server.Host.Url, "n2", DateTimeOffset.UtcNow);
        using var node = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(path));

        var whoAmI = await node.AuthenticationV1.CreateSelfSubjectReviewAsync(new V1SelfSubjectReview());
        var pod = await node.CoreV1.ReadNamespacedPodAsync("on-n2", "default");
        pod.Status.Phase = "Running";
        var updated = await node.CoreV1.ReplaceNamespacedPodStatusAsync(pod, "on-n2", "default");
        var other = await node.CoreV1.ReadNamespacedPodAsync("on-n1", "default");
        var forbidden = await StatusAssert.FailsAsync(() => node.CoreV1.ReplaceNamespacedPodStatusAsync(other, "on-n1", "default"), 403);

        Assert.Equal("system:node:n2", whoAmI.Status.UserInfo.Username);
        Assert.Equal(["system:nodes", "system:authenticated"], whoAmI.Status.UserInfo.Groups);
        Assert.Equal("Running", updated.Status.Phase);
        Assert.Equal("pods \"on-n1\" is forbidden: node \"n2\" can only update pod status for pods with spec.nodeName set to itself", forbidden.Message);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public async Task CanIList_Node_IncompleteRules()
    {
        using var node = await InProcessNodeAsync("n1");

        using var response = await node.PostAsync("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews", Json("""{"spec":{"namespace":"default"}}"""));
        var review = KubernetesJson.Deserialize<V1SelfSubjectRulesReview>(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.True(review.Status.Incomplete);
        Assert.Contains(review.Status.ResourceRules, r => r.Resources.Contains("endpointslices") && r.Verbs.Contains("create"));
    }

    private async Task<HttpClient> InProcessNodeAsync(string name) =>
        new(await _server.Host.CreateInProcessHandlerAsync(UserInfo.ForNode(name), CancellationToken.None)) { BaseAddress = new Uri("http://localhost/") };

    private static async Task<string> GetJsonAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task<V1Status> FailsAsync(Task<HttpResponseMessage> call, int code)
    {
        using var response = await call;
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == code, $"{(int)response.StatusCode}: {body}");
        return KubernetesJson.Deserialize<V1Status>(body);
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static string Slice(string name) =>
        $$$"""{"metadata":{"name":"{{{name}}}","labels":{"kubernetes.io/service-name":"kube-dns"}},"addressType":"IPv4","endpoints":[]}""";

    private static V1Pod Pod(string name, string nodeName, string? configMap) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1PodSpec
        {
            NodeName = nodeName,
            Containers =
            [
                new V1Container
                {
                    Name = "c",
                    Image = "agnhost",
                    Env = configMap is null ? null : [new V1EnvVar { Name = "K", ValueFrom = new V1EnvVarSource { ConfigMapKeyRef = new V1ConfigMapKeySelector { Name = configMap, Key = "k" } } }],
                },
            ],
        },
    };
}

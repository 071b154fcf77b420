using System.Net;
using System.Text.Json.Nodes;
using Berth.ApiServer.Security;
using Berth.ApiServer.Tests.Infrastructure;
using k8s;
using k8s.Models;

namespace Berth.ApiServer.Tests.ServiceAccounts;

/// <summary>
/// ServiceAccounts and their tokens against the real server: <c>kubectl create token</c> and the C# client's
/// TokenRequest, the token authenticating as the service account (<c>kubectl auth whoami</c>), RBAC applying to it, and
/// the tokens the server must refuse (service account or bound pod gone, another audience, a node asking for a pod not
/// its own).
/// </summary>
public sealed class TokenRequestTests : IClassFixture<BerthServer>
{
    private readonly BerthServer _server;
    private readonly Infrastructure.Kubectl _kubectl;

    public TokenRequestTests(BerthServer server)
    {
        _server = server;
        _kubectl = new Infrastructure.Kubectl(server.KubeconfigPath, server.DataDir);
    }

    [Fact]
    public async Task CreateToken_Kubectl_WhoAmIIsTheServiceAccount()
    {
        await _kubectl.OkAsync("create", "namespace", "tok-whoami");
        var created = await _kubectl.OkAsync("create", "serviceaccount", "robot", "-n", "tok-whoami");
        var account = await _server.Client.CoreV1.ReadNamespacedServiceAccountAsync("robot", "tok-whoami");

        var token = (await _kubectl.OkAsync("create", "token", "robot", "-n", "tok-whoami")).Trim();
        var whoami = JsonNode.Parse(await _kubectl.OkAsync("--token", token, "auth", "whoami", "-o", "json"))!;
        var table = await _kubectl.OkAsync("get", "sa", "-n", "tok-whoami");

        Assert.Equal("serviceaccount/robot created", created.Trim());
        Assert.Equal("system:serviceaccount:tok-whoami:robot", (string?)whoami["status"]!["userInfo"]!["username"]);
        Assert.Equal(account.Metadata.Uid, (string?)whoami["status"]!["userInfo"]!["uid"]);
        Assert.Equal(["system:serviceaccounts", "system:serviceaccounts:tok-whoami", "system:authenticated"], whoami["status"]!["userInfo"]!["groups"]!.AsArray().Select(g => (string?)g));
        Assert.Matches(@"NAME\s+SECRETS\s+AGE\n", table);
        Assert.Matches(@"\nrobot\s+0\s+\S+", table);
    }

    [Fact]
    public async Task Token_NewServiceAccount_ForbiddenUntilARoleBindingGrantsAccess()
    {
        await _kubectl.OkAsync("create", "namespace", "tok-rbac");
        await _kubectl.OkAsync("create", "serviceaccount", "reader", "-n", "tok-rbac");
        var token = (await _kubectl.OkAsync("create", "token", "reader", "-n", "tok-rbac")).Trim();

        var before = await _kubectl.RunAsync(["--token", token, "get", "configmaps", "-n", "tok-rbac"]);
        await _kubectl.OkAsync("create", "rolebinding", "reader-view", "--clusterrole=view", "--serviceaccount=tok-rbac:reader", "-n", "tok-rbac");

        Assert.Equal(1, before.ExitCode);
        Assert.Contains("User \"system:serviceaccount:tok-rbac:reader\" cannot list resource \"configmaps\" in API group \"\" in the namespace \"tok-rbac\"", before.Stderr);
        await Eventually.TrueAsync(async () => (await _kubectl.RunAsync(["--token", token, "get", "configmaps", "-n", "tok-rbac"])).ExitCode == 0, "the bound service account may list configmaps");
        var elsewhere = await _kubectl.RunAsync(["--token", token, "get", "configmaps", "-n", "default"]);
        Assert.Equal(1, elsewhere.ExitCode);
    }

    [Fact]
    public async Task Token_ServiceAccountDeletedOrRecreated_Unauthorized()
    {
        await _kubectl.OkAsync("create", "namespace", "tok-deleted");
        await _kubectl.OkAsync("create", "serviceaccount", "gone", "-n", "tok-deleted");
        var token = (await _kubectl.OkAsync("create", "token", "gone", "-n", "tok-deleted")).Trim();
        using var http = _server.CreateHttpClient(token);
        using var valid = await http.GetAsync("/api");

        await _kubectl.OkAsync("delete", "serviceaccount", "gone", "-n", "tok-deleted");
        using var deleted = await http.GetAsync("/api");
        await _kubectl.OkAsync("create", "serviceaccount", "gone", "-n", "tok-deleted");
        using var recreated = await http.GetAsync("/api");

        Assert.Equal(HttpStatusCode.OK, valid.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, recreated.StatusCode);
    }

    [Fact]
    public async Task Token_OtherAudience_Unauthorized()
    {
        await _kubectl.OkAsync("create", "namespace", "tok-aud");
        await _kubectl.OkAsync("create", "serviceaccount", "robot", "-n", "tok-aud");
        var other = (await _kubectl.OkAsync("create", "token", "robot", "-n", "tok-aud", "--audience", "https://vault.example")).Trim();
        var both = (await _kubectl.OkAsync("create", "token", "robot", "-n", "tok-aud", "--audience", "https://vault.example", "--audience", "https://kubernetes.default.svc.cluster.local")).Trim();

        var refused = await _kubectl.RunAsync(["--token", other, "auth", "whoami"]);
        var accepted = await _kubectl.RunAsync(["--token", both, "auth", "whoami"]);

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("Unauthorized", refused.Stderr);
        Assert.Equal(0, accepted.ExitCode);
    }

    [Fact]
    public async Task Token_BoundPodDeleted_Unauthorized()
    {
        await _kubectl.OkAsync("create", "namespace", "tok-pod");
        await _kubectl.OkAsync("create", "serviceaccount", "runner", "-n", "tok-pod");
        var pod = await _server.Client.CoreV1.CreateNamespacedPodAsync(Pod("p", "runner", nodeName: null), "tok-pod");
        var token = (await _kubectl.OkAsync("create", "token", "runner", "-n", "tok-pod", "--bound-object-kind", "Pod", "--bound-object-name", "p")).Trim();
        var whoami = JsonNode.Parse(await _kubectl.OkAsync("--token", token, "auth", "whoami", "-o", "json"))!;

        await _server.Client.CoreV1.DeleteNamespacedPodAsync("p", "tok-pod", new V1DeleteOptions { GracePeriodSeconds = 0 });
        var afterDelete = await _kubectl.RunAsync(["--token", token, "auth", "whoami"]);

        var extra = whoami["status"]!["userInfo"]!["extra"]!;
        Assert.Equal("p", (string?)extra["authentication.kubernetes.io/pod-name"]![0]);
        Assert.Equal(pod.Metadata.Uid, (string?)extra["authentication.kubernetes.io/pod-uid"]![0]);
        Assert.StartsWith("JTI=", (string?)extra["authentication.kubernetes.io/credential-id"]![0]);
        Assert.Equal(1, afterDelete.ExitCode);
        Assert.Contains("Unauthorized", afterDelete.Stderr);
    }

    [Fact]
    public async Task CreateToken_Client_DefaultsAndBoundPodChecks()
    {
        var client = _server.Client;
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "tok-client" } });
        await client.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = "app" } }, "tok-client");
        await client.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = "someone-else" } }, "tok-client");
        var other = await client.CoreV1.CreateNamespacedPodAsync(Pod("other", "someone-else", nodeName: null), "tok-client");

        var issued = await client.CoreV1.CreateNamespacedServiceAccountTokenAsync(new Authenticationv1TokenRequest { Spec = new V1TokenRequestSpec() }, "app", "tok-client");
        var tooShort = await StatusAssert.FailsAsync(() => client.CoreV1.CreateNamespacedServiceAccountTokenAsync(new Authenticationv1TokenRequest { Spec = new V1TokenRequestSpec { ExpirationSeconds = 60 } }, "app", "tok-client"), 422);
        var wrongAccount = await StatusAssert.FailsAsync(() => client.CoreV1.CreateNamespacedServiceAccountTokenAsync(TokenFor(other, other.Metadata.Uid), "app", "tok-client"), 400);
        var staleUid = await StatusAssert.FailsAsync(() => client.CoreV1.CreateNamespacedServiceAccountTokenAsync(new Authenticationv1TokenRequest { Spec = new V1TokenRequestSpec { BoundObjectRef = new V1BoundObjectReference { ApiVersion = "v1", Kind = "Secret", Name = "missing" } } }, "app", "tok-client"), 404);
        var noAccount = await StatusAssert.FailsAsync(() => client.CoreV1.CreateNamespacedServiceAccountTokenAsync(new Authenticationv1TokenRequest { Spec = new V1TokenRequestSpec() }, "nobody", "tok-client"), 404);

        Assert.Equal(["https://kubernetes.default.svc.cluster.local"], issued.Spec.Audiences);
        Assert.Equal(3600, issued.Spec.ExpirationSeconds);
        Assert.Equal(("app", "tok-client"), (issued.Metadata.Name, issued.Metadata.NamespaceProperty));
        Assert.InRange(issued.Status.ExpirationTimestamp!.Value - issued.Metadata.CreationTimestamp!.Value, TimeSpan.FromSeconds(3599), TimeSpan.FromSeconds(3601));
        Assert.Equal(3, issued.Status.Token.Split('.').Length);
        Assert.Equal("TokenRequest.authentication.k8s.io \"\" is invalid: spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes", tooShort.Message);
        Assert.Equal("cannot bind token for serviceaccount \"app\" to pod running with different serviceaccount name.", wrongAccount.Message);
        Assert.Equal("secrets \"missing\" not found", staleUid.Message);
        Assert.Equal("serviceaccounts \"nobody\" not found", noAccount.Message);
    }

    [Fact]
    public async Task CreateToken_Node_OnlyForItsOwnPodsServiceAccounts()
    {
        var client = _server.Client;
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "tok-node" } });
        await client.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = "web" } }, "tok-node");
        await client.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = "db" } }, "tok-node");
        var mine = await client.CoreV1.CreateNamespacedPodAsync(Pod("mine", "web", "tok-n1"), "tok-node");
        var theirs = await client.CoreV1.CreateNamespacedPodAsync(Pod("theirs", "db", "tok-n2"), "tok-node");
        using var node = new HttpClient(await _server.Host.CreateInProcessHandlerAsync(UserInfo.ForNode("tok-n1"), CancellationToken.None)) { BaseAddress = new Uri("http://localhost/") };

        using var allowed = await PostTokenAsync(node, "web", TokenFor(mine, mine.Metadata.Uid, 3607));
        using var unbound = await PostTokenAsync(node, "web", new Authenticationv1TokenRequest { Spec = new V1TokenRequestSpec() });
        using var otherNode = await PostTokenAsync(node, "db", TokenFor(theirs, theirs.Metadata.Uid));
        using var noUid = await PostTokenAsync(node, "web", TokenFor(mine, null));

        Assert.Equal(HttpStatusCode.Created, allowed.StatusCode);
        var issued = KubernetesJson.Deserialize<Authenticationv1TokenRequest>(await allowed.Content.ReadAsStringAsync());
        Assert.InRange(issued.Status.ExpirationTimestamp!.Value - issued.Metadata.CreationTimestamp!.Value, TimeSpan.FromSeconds(3606), TimeSpan.FromSeconds(3608));
        Assert.Equal("serviceaccounts \"web\" is forbidden: node requested token not bound to a pod", await MessageAsync(unbound, 403));
        Assert.Equal("serviceaccounts \"db\" is forbidden: User \"system:node:tok-n1\" cannot create resource \"serviceaccounts/token\" in API group \"\" in the namespace \"tok-node\": no relationship found between node 'tok-n1' and this object", await MessageAsync(otherNode, 403));
        Assert.Equal("serviceaccounts \"web\" is forbidden: node requested token with a pod binding without a uid", await MessageAsync(noUid, 403));
        using var asPod = _server.CreateHttpClient(issued.Status.Token);
        using var whoami = await asPod.GetAsync("/api");
        Assert.Equal(HttpStatusCode.OK, whoami.StatusCode);
    }

    private static Authenticationv1TokenRequest TokenFor(V1Pod pod, string? uid, long? seconds = null) => new()
    {
        Spec = new V1TokenRequestSpec
        {
            ExpirationSeconds = seconds,
            BoundObjectRef = new V1BoundObjectReference { ApiVersion = "v1", Kind = "Pod", Name = pod.Metadata.Name, Uid = uid },
        },
    };

    private static Task<HttpResponseMessage> PostTokenAsync(HttpClient client, string account, Authenticationv1TokenRequest request) =>
        client.PostAsync($"/api/v1/namespaces/tok-node/serviceaccounts/{account}/token", new StringContent(KubernetesJson.Serialize(request), System.Text.Encoding.UTF8, "application/json"));

    private static async Task<string> MessageAsync(HttpResponseMessage response, int code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == code, $"{(int)response.StatusCode}: {body}");
        return KubernetesJson.Deserialize<V1Status>(body).Message;
    }

    private static V1Pod Pod(string name, string account, string? nodeName) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1PodSpec
        {
            ServiceAccountName = account,
            NodeName = nodeName,
            Containers = [new V1Container { Name = "c", Image = "agnhost", Command = ["sleep", "3600"] }],
        },
    };
}

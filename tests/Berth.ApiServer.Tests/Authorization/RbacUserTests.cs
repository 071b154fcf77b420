using System.Net;
using Berth.ApiServer.Security;
using Berth.ApiServer.Tests.Infrastructure;
using k8s;
using k8s.Models;

namespace Berth.ApiServer.Tests.Authorization;

/// <summary>
/// Users who are not the admin, authenticated by client certificates the cluster CA issued (CN = user, O = groups) and
/// talking through the official KubernetesClient and kubectl with their own kubeconfig.
/// </summary>
public sealed class RbacUserTests : IClassFixture<BerthServer>
{
    private readonly BerthServer _server;

    public RbacUserTests(BerthServer server) => _server = server;

    [Fact]
    public async Task NoBinding_ListPods_ForbiddenStatus()
    {
        using var erin = ClientFor("erin", "devs");

        var status = await StatusAssert.FailsAsync(() => erin.CoreV1.ListNamespacedPodAsync("default"), 403);

        Assert.Equal("Forbidden", status.Reason);
        Assert.Equal("pods is forbidden: User \"erin\" cannot list resource \"pods\" in API group \"\" in the namespace \"default\"", status.Message);
        Assert.Equal("pods", status.Details.Kind);
    }

    [Fact]
    public async Task ClusterScope_ListNodes_ForbiddenAtClusterScope()
    {
        using var erin = ClientFor("erin", "devs");

        var status = await StatusAssert.FailsAsync(() => erin.CoreV1.ListNodeAsync(), 403);

        Assert.Equal("nodes is forbidden: User \"erin\" cannot list resource \"nodes\" in API group \"\" at the cluster scope", status.Message);
    }

    [Fact]
    public async Task GroupBinding_View_ListAllowedWriteForbidden()
    {
        await _server.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "team" } });
        await BindAsync("team", "ClusterRole", "view", "Group", "testers");
        using var tess = ClientFor("tess", "testers");

        await Eventually.TrueAsync(async () => await CodeOfAsync(() => tess.CoreV1.ListNamespacedConfigMapAsync("team")) == 200, "tess may list configmaps");
        var create = await StatusAssert.FailsAsync(() => tess.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "x" } }, "team"), 403);
        var secrets = await StatusAssert.FailsAsync(() => tess.CoreV1.ListNamespacedSecretWithHttpMessagesAsync("team"), 403);

        Assert.Equal("configmaps is forbidden: User \"tess\" cannot create resource \"configmaps\" in API group \"\" in the namespace \"team\"", create.Message);
        Assert.Equal("secrets is forbidden: User \"tess\" cannot list resource \"secrets\" in API group \"\" in the namespace \"team\"", secrets.Message);
    }

    [Fact]
    public async Task Subresources_LogAndExec_AuthorizedAsTheirOwnResources()
    {
        await _server.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "subres" } });
        await _server.Client.RbacAuthorizationV1.CreateNamespacedRoleAsync(
            new V1Role
            {
                Metadata = new V1ObjectMeta { Name = "logs-and-get-exec" },
                Rules = [new V1PolicyRule { ApiGroups = [""], Resources = ["pods/log", "pods/exec"], Verbs = ["get"] }],
            },
            "subres");
        await BindAsync("subres", "Role", "logs-and-get-exec", "User", "olga");
        using var olga = HttpFor("olga");

        await Eventually.TrueAsync(async () => (await olga.GetAsync("/api/v1/namespaces/subres/pods/p/log")).StatusCode == HttpStatusCode.NotFound, "olga may read logs");
        using var pod = await olga.GetAsync("/api/v1/namespaces/subres/pods/p");
        using var exec = await olga.GetAsync("/api/v1/namespaces/subres/pods/p/exec?command=sh");

        Assert.Equal(HttpStatusCode.Forbidden, pod.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, exec.StatusCode);
        Assert.Equal(
            "pods \"p\" is forbidden: User \"olga\" cannot create resource \"pods/exec\" in API group \"\" in the namespace \"subres\"",
            KubernetesJson.Deserialize<V1Status>(await exec.Content.ReadAsStringAsync()).Message);
    }

    [Fact]
    public async Task Impersonation_UserWithoutImpersonateVerb_Forbidden()
    {
        using var http = HttpFor("mallory");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/namespaces/default/pods");
        request.Headers.Add("Impersonate-User", "berth-admin");
        request.Headers.Add("Impersonate-Group", "system:masters");

        using var response = await http.SendAsync(request);
        var status = KubernetesJson.Deserialize<V1Status>(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("users \"berth-admin\" is forbidden: User \"mallory\" cannot impersonate resource \"users\" in API group \"\" at the cluster scope", status.Message);
    }

    [Fact]
    public async Task SelfSubjectAccessReview_AnyUser_AnsweredForItself()
    {
        using var erin = ClientFor("erin", "devs");

        var review = await erin.AuthorizationV1.CreateSelfSubjectAccessReviewAsync(new V1SelfSubjectAccessReview
        {
            Spec = new V1SelfSubjectAccessReviewSpec { ResourceAttributes = new V1ResourceAttributes { Verb = "create", Resource = "selfsubjectaccessreviews", Group = "authorization.k8s.io" } },
        });
        var denied = await erin.AuthorizationV1.CreateSelfSubjectAccessReviewAsync(new V1SelfSubjectAccessReview
        {
            Spec = new V1SelfSubjectAccessReviewSpec { ResourceAttributes = new V1ResourceAttributes { Verb = "delete", Resource = "pods", NamespaceProperty = "default" } },
        });

        Assert.True(review.Status.Allowed);
        Assert.Contains("ClusterRoleBinding \"system:basic-user\"", review.Status.Reason, StringComparison.Ordinal);
        Assert.False(denied.Status.Allowed);
    }

    [Fact]
    public async Task SubjectAccessReview_NonAdmin_ForbiddenAdminAnswered()
    {
        using var erin = ClientFor("erin", "devs");
        var review = new V1SubjectAccessReview
        {
            Spec = new V1SubjectAccessReviewSpec { User = "someone", Groups = ["system:masters"], ResourceAttributes = new V1ResourceAttributes { Verb = "delete", Resource = "nodes" } },
        };

        var forbidden = await StatusAssert.FailsAsync(() => erin.AuthorizationV1.CreateSubjectAccessReviewAsync(review), 403);
        var answered = await _server.Client.AuthorizationV1.CreateSubjectAccessReviewAsync(review);

        Assert.Equal("subjectaccessreviews.authorization.k8s.io is forbidden: User \"erin\" cannot create resource \"subjectaccessreviews\" in API group \"authorization.k8s.io\" at the cluster scope", forbidden.Message);
        Assert.True(answered.Status.Allowed);
    }

    [Fact]
    public async Task LocalSubjectAccessReview_Admin_AnsweredInItsNamespace()
    {
        await _server.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "lsar" } });
        await BindAsync("lsar", "ClusterRole", "edit", "User", "lou");
        V1LocalSubjectAccessReview Review(string ns) => new()
        {
            Spec = new V1SubjectAccessReviewSpec { User = "lou", ResourceAttributes = new V1ResourceAttributes { Verb = "create", Resource = "configmaps", NamespaceProperty = ns } },
        };

        await Eventually.TrueAsync(async () => (await _server.Client.AuthorizationV1.CreateNamespacedLocalSubjectAccessReviewAsync(Review("lsar"), "lsar")).Status.Allowed, "lou may create configmaps in lsar");
        var elsewhere = await StatusAssert.FailsAsync(() => _server.Client.AuthorizationV1.CreateNamespacedLocalSubjectAccessReviewAsync(Review("default"), "lsar"), 422);

        Assert.Equal("LocalSubjectAccessReview.authorization.k8s.io \"\" is invalid: spec.resourceAttributes.namespace: Invalid value: \"default\": must match metadata.namespace", elsewhere.Message);
    }

    [Fact]
    public async Task Review_Get_MethodNotAllowed()
    {
        using var http = _server.CreateHttpClient();

        using var response = await http.GetAsync("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public async Task Discovery_AnyUser_Allowed()
    {
        using var http = HttpFor("erin");

        using var api = await http.GetAsync("/api");
        using var version = await http.GetAsync("/version");
        using var openApi = await http.GetAsync("/openapi/v3");
        using var metrics = await http.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
        Assert.Equal(HttpStatusCode.OK, version.StatusCode);
        Assert.Equal(HttpStatusCode.OK, openApi.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, metrics.StatusCode);
        Assert.Equal("forbidden: User \"erin\" cannot get path \"/metrics\"", KubernetesJson.Deserialize<V1Status>(await metrics.Content.ReadAsStringAsync()).Message);
    }

    [Fact]
    public async Task Role_WithoutVerbs_InvalidWithKubernetesMessage()
    {
        var role = new V1Role
        {
            Metadata = new V1ObjectMeta { Name = "bad" },
            Rules = [new V1PolicyRule { ApiGroups = [""], Resources = ["pods"], Verbs = [] }],
        };

        var status = await StatusAssert.FailsAsync(() => _server.Client.RbacAuthorizationV1.CreateNamespacedRoleAsync(role, "default"), 422);

        Assert.Equal("Role.rbac.authorization.k8s.io \"bad\" is invalid: rules[0].verbs: Required value: verbs must contain at least one value", status.Message);
    }

    [Fact]
    public async Task UserKubeconfig_Kubectl_WhoAmIAndForbidden()
    {
        using var cert = _server.Host.Credentials.IssueClientCertificate("kim", ["devs", "ops"], DateTimeOffset.UtcNow);
        var path = Path.Combine(_server.DataDir, "kim.kubeconfig");
        await File.WriteAllTextAsync(path, Kubeconfig.Render(_server.Host.Url, _server.Host.Credentials.CaPem, cert));
        var kubectl = new Infrastructure.Kubectl(path, Path.Combine(_server.DataDir, "kim"));

        var whoAmI = await kubectl.OkAsync("auth", "whoami");
        var canI = await kubectl.RunAsync(["auth", "can-i", "get", "pods"]);
        var get = await kubectl.RunAsync(["get", "pods"]);

        Assert.Matches(@"Username\s+kim", whoAmI);
        Assert.Matches(@"Groups\s+\[devs ops system:authenticated\]", whoAmI);
        Assert.Equal((1, "no"), (canI.ExitCode, canI.Stdout.Trim()));
        Assert.Equal("Error from server (Forbidden): pods is forbidden: User \"kim\" cannot list resource \"pods\" in API group \"\" in the namespace \"default\"", get.Stderr.Trim());
    }

    private Kubernetes ClientFor(string user, params string[] groups)
    {
        using var cert = _server.Host.Credentials.IssueClientCertificate(user, groups, DateTimeOffset.UtcNow);
        var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(
            Kubeconfig.Render(_server.Host.Url, _server.Host.Credentials.CaPem, cert))));
        return new Kubernetes(config);
    }

    private HttpClient HttpFor(string user, params string[] groups)
    {
        using var cert = _server.Host.Credentials.IssueClientCertificate(user, groups, DateTimeOffset.UtcNow);
        return _server.CreateHttpClient(cert);
    }

    /// <summary>Binds <paramref name="roleKind"/> <paramref name="role"/> to one subject in <paramref name="ns"/> (the binding is named after the subject).</summary>
    private Task BindAsync(string ns, string roleKind, string role, string subjectKind, string subject) =>
        _server.Client.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(
            new V1RoleBinding
            {
                Metadata = new V1ObjectMeta { Name = subject },
                RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = roleKind, Name = role },
                Subjects = [new Rbacv1Subject { Kind = subjectKind, ApiGroup = "rbac.authorization.k8s.io", Name = subject }],
            },
            ns);

    private static async Task<int> CodeOfAsync(Func<Task> call)
    {
        try
        {
            await call();
            return 200;
        }
        catch (k8s.Autorest.HttpOperationException e)
        {
            return (int)e.Response.StatusCode;
        }
    }
}

using System.Text.Json.Nodes;
using Berth.ApiServer.Tests.Infrastructure;
using k8s;
using k8s.Models;

namespace Berth.ApiServer.Tests.Authorization;

/// <summary>
/// RBAC with the installed kubectl against the real server: roles and bindings made by kubectl's generators, answers of
/// <c>kubectl auth can-i</c> (with <c>--as</c>, which the admin may impersonate), and the 403 text of a denied request.
/// A binding reaches the authorizer through the store's watch, so a newly granted right is waited for.
/// </summary>
public sealed class RbacKubectlTests : IClassFixture<BerthServer>
{
    private readonly BerthServer _server;
    private readonly Infrastructure.Kubectl _kubectl;

    public RbacKubectlTests(BerthServer server)
    {
        _server = server;
        _kubectl = new Infrastructure.Kubectl(server.KubeconfigPath, server.DataDir);
    }

    [Fact]
    public async Task CreateRoleAndBinding_Kubectl_StoredAndListed()
    {
        await _kubectl.OkAsync("create", "namespace", "rbac-gen");

        var role = await _kubectl.OkAsync("create", "role", "pod-reader", "--verb=get,list,watch", "--resource=pods,pods/log", "-n", "rbac-gen");
        var binding = await _kubectl.OkAsync("create", "rolebinding", "read-pods", "--role=pod-reader", "--user=alice", "--group=devs", "--serviceaccount=rbac-gen:robot", "-n", "rbac-gen");
        var clusterRole = await _kubectl.OkAsync("create", "clusterrole", "node-reader", "--verb=get,list", "--resource=nodes", "--resource-name=n1");
        var clusterBinding = await _kubectl.OkAsync("create", "clusterrolebinding", "read-nodes", "--clusterrole=node-reader", "--user=alice");

        Assert.Equal("role.rbac.authorization.k8s.io/pod-reader created", role.Trim());
        Assert.Equal("rolebinding.rbac.authorization.k8s.io/read-pods created", binding.Trim());
        Assert.Equal("clusterrole.rbac.authorization.k8s.io/node-reader created", clusterRole.Trim());
        Assert.Equal("clusterrolebinding.rbac.authorization.k8s.io/read-nodes created", clusterBinding.Trim());
        var stored = await _server.Client.RbacAuthorizationV1.ReadNamespacedRoleAsync("pod-reader", "rbac-gen");
        var rule = Assert.Single(stored.Rules);
        Assert.Equal(["get", "list", "watch"], rule.Verbs);
        Assert.Equal(["pods", "pods/log"], rule.Resources);
        var storedBinding = await _server.Client.RbacAuthorizationV1.ReadNamespacedRoleBindingAsync("read-pods", "rbac-gen");
        Assert.Equal(["User/alice", "Group/devs", "ServiceAccount/robot"], storedBinding.Subjects.Select(s => s.Kind + "/" + s.Name));
        await Eventually.TrueAsync(async () => (await _kubectl.RunAsync(["auth", "can-i", "get", "pods/log", "-n", "rbac-gen", "--as", "system:serviceaccount:rbac-gen:robot"])).ExitCode == 0, "the service account may read logs");
        var byGroup = await _kubectl.RunAsync(["auth", "can-i", "watch", "pods", "-n", "rbac-gen", "--as", "someone", "--as-group", "devs"]);
        var otherAccount = await _kubectl.RunAsync(["auth", "can-i", "get", "pods", "-n", "rbac-gen", "--as", "system:serviceaccount:default:robot"]);
        Assert.Equal((0, "yes"), (byGroup.ExitCode, byGroup.Stdout.Trim()));
        Assert.Equal((1, "no"), (otherAccount.ExitCode, otherAccount.Stdout.Trim()));
        var table = await _kubectl.OkAsync("get", "rolebindings", "-n", "rbac-gen", "-o", "wide");
        Assert.Matches(@"NAME\s+ROLE\s+AGE\s+USERS\s+GROUPS\s+SERVICEACCOUNTS", table);
        Assert.Matches(@"read-pods\s+Role/pod-reader\s+\S+\s+alice\s+devs\s+rbac-gen/robot", table);
    }

    [Fact]
    public async Task ApiResources_EveryRegisteredKind_ListedWithItsVerbs()
    {
        var output = await _kubectl.OkAsync("api-resources", "-o", "wide");

        // api-resources lists each kind in its group's preferred version only.
        foreach (var r in Berth.Core.Resources.ResourceRegistry.Default.All.Where(r => Berth.Core.Resources.ResourceRegistry.Default.Find(r.Group, r.Plural) == r))
        {
            var verbs = string.Join(',', r.Verbs.Order(StringComparer.Ordinal));
            Assert.True(System.Text.RegularExpressions.Regex.IsMatch(output, $@"(?m)^{r.Plural}\s+(\S+\s+)?{System.Text.RegularExpressions.Regex.Escape(r.ApiVersion)}\s+{(r.Namespaced ? "true" : "false")}\s+{r.Kind}\s+{verbs}(\s|$)"), output);
        }
    }

    [Fact]
    public async Task Apply_RoleAndAggregatedClusterRole_ValidatedAndStored()
    {
        const string Manifest = """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata:
              name: monitoring
            aggregationRule:
              clusterRoleSelectors:
              - matchLabels:
                  example.com/aggregate-to-monitoring: "true"
            rules: []
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata:
              name: monitoring-endpoints
              labels:
                example.com/aggregate-to-monitoring: "true"
            rules:
            - apiGroups: [""]
              resources: ["services", "endpoints", "pods"]
              verbs: ["get", "list", "watch"]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata:
              name: cm-editor
              namespace: default
            rules:
            - apiGroups: [""]
              resources: ["configmaps"]
              resourceNames: ["settings"]
              verbs: ["update", "get"]
            """;

        var output = await _kubectl.RunAsync(["apply", "-f", "-"], Manifest);
        var bad = await _kubectl.RunAsync(["apply", "-f", "-"], """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata:
              name: broken
              namespace: default
            roleRef:
              apiGroup: rbac.authorization.k8s.io
              kind: Secret
              name: x
            subjects:
            - kind: User
              name: u
            """);

        Assert.True(output.ExitCode == 0, output.Stderr);
        Assert.Contains("clusterrole.rbac.authorization.k8s.io/monitoring created", output.Stdout, StringComparison.Ordinal);
        Assert.Contains("role.rbac.authorization.k8s.io/cm-editor created", output.Stdout, StringComparison.Ordinal);
        await Eventually.TrueAsync(async () => (await _server.Client.RbacAuthorizationV1.ReadClusterRoleAsync("monitoring")).Rules?.Any(r => r.Resources.Contains("endpoints")) == true, "monitoring aggregated");
        Assert.Equal(1, bad.ExitCode);
        Assert.Equal("The RoleBinding \"broken\" is invalid: roleRef.kind: Unsupported value: \"Secret\": supported values: \"Role\", \"ClusterRole\"", bad.Stderr.Trim());
    }

    [Fact]
    public async Task CanI_BindingCreated_NoThenYes()
    {
        await _kubectl.OkAsync("create", "namespace", "rbac-cani");

        var before = await _kubectl.RunAsync(["auth", "can-i", "list", "pods", "-n", "rbac-cani", "--as", "carl"]);
        await _kubectl.OkAsync("create", "role", "lister", "--verb=list", "--resource=pods", "-n", "rbac-cani");
        await _kubectl.OkAsync("create", "rolebinding", "carl-lists", "--role=lister", "--user=carl", "-n", "rbac-cani");

        Assert.Equal((1, "no"), (before.ExitCode, before.Stdout.Trim()));
        await Eventually.TrueAsync(async () => (await _kubectl.RunAsync(["auth", "can-i", "list", "pods", "-n", "rbac-cani", "--as", "carl"])).Stdout.Trim() == "yes", "carl may list pods");
        var elsewhere = await _kubectl.RunAsync(["auth", "can-i", "list", "pods", "-n", "default", "--as", "carl"]);
        var delete = await _kubectl.RunAsync(["auth", "can-i", "delete", "pods", "-n", "rbac-cani", "--as", "carl"]);
        Assert.Equal((1, "no"), (elsewhere.ExitCode, elsewhere.Stdout.Trim()));
        Assert.Equal((1, "no"), (delete.ExitCode, delete.Stdout.Trim()));
    }

    [Fact]
    public async Task View_ListAllowed_DeleteForbiddenWithKubernetesMessage()
    {
        await _kubectl.OkAsync("create", "namespace", "rbac-view");
        await _kubectl.OkAsync("create", "configmap", "settings", "--from-literal=a=b", "-n", "rbac-view");
        await _kubectl.OkAsync("create", "rolebinding", "viewer", "--clusterrole=view", "--user=victor", "-n", "rbac-view");
        await Eventually.TrueAsync(async () => (await _kubectl.RunAsync(["get", "configmaps", "-n", "rbac-view", "--as", "victor"])).ExitCode == 0, "victor may list configmaps");

        var list = await _kubectl.RunAsync(["get", "configmaps", "-n", "rbac-view", "--as", "victor"]);
        var delete = await _kubectl.RunAsync(["delete", "configmap", "settings", "-n", "rbac-view", "--as", "victor"]);
        var pods = await _kubectl.RunAsync(["get", "pods", "-n", "default", "--as", "victor"]);

        Assert.Contains("settings", list.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, delete.ExitCode);
        Assert.Equal(
            "Error from server (Forbidden): configmaps \"settings\" is forbidden: User \"victor\" cannot delete resource \"configmaps\" in API group \"\" in the namespace \"rbac-view\"",
            delete.Stderr.Trim());
        Assert.Equal(
            "Error from server (Forbidden): pods is forbidden: User \"victor\" cannot list resource \"pods\" in API group \"\" in the namespace \"default\"",
            pods.Stderr.Trim());
        Assert.NotNull(await _server.Client.CoreV1.ReadNamespacedConfigMapAsync("settings", "rbac-view"));
    }

    [Fact]
    public async Task CanIList_ViewBinding_ListsAggregatedRules()
    {
        await _kubectl.OkAsync("create", "namespace", "rbac-list");
        await _kubectl.OkAsync("create", "rolebinding", "viewer", "--clusterrole=view", "--user=lena", "-n", "rbac-list");
        await Eventually.TrueAsync(async () => (await _kubectl.RunAsync(["auth", "can-i", "get", "pods", "-n", "rbac-list", "--as", "lena"])).ExitCode == 0, "lena may get pods");

        var output = await _kubectl.OkAsync("auth", "can-i", "--list", "-n", "rbac-list", "--as", "lena");

        Assert.Matches(@"Resources\s+Non-Resource URLs\s+Resource Names\s+Verbs", output);
        Assert.Matches(@"(?m)^selfsubjectaccessreviews\.authorization\.k8s\.io\s+\[\]\s+\[\]\s+\[create\]", output);
        Assert.Matches(@"(?m)^pods\s+\[\]\s+\[\]\s+\[get list watch\]", output);
        Assert.Matches(@"(?m)^deployments\.apps\s+\[\]\s+\[\]\s+\[get list watch\]", output);
        Assert.Matches(@"(?m)^\s+\[/api/\*\]\s+\[\]\s+\[get\]", output);
        Assert.DoesNotMatch(@"(?m)^secrets\s", output);
    }

    [Fact]
    public async Task CanI_Admin_YesToEverything()
    {
        var output = await _kubectl.RunAsync(["auth", "can-i", "*", "*"]);

        Assert.Equal((0, "yes"), (output.ExitCode, output.Stdout.Trim()));
    }

    [Fact]
    public async Task Impersonate_Admin_ActsAsUserAndGroups()
    {
        var asUser = await _kubectl.RunAsync(["get", "pods", "-n", "default", "--as", "ivan"]);
        var whoAmI = await _kubectl.OkAsync("auth", "whoami", "--as", "ivan", "--as-group", "devs", "-o", "json");
        var asMaster = await _kubectl.RunAsync(["get", "pods", "-n", "default", "--as", "ivan", "--as-group", "system:masters"]);

        Assert.Equal(1, asUser.ExitCode);
        Assert.Contains("User \"ivan\" cannot list resource \"pods\"", asUser.Stderr, StringComparison.Ordinal);
        var user = JsonNode.Parse(whoAmI)!["status"]!["userInfo"]!;
        Assert.Equal("ivan", (string?)user["username"]);
        Assert.Equal(["devs", "system:authenticated"], user["groups"]!.AsArray().Select(g => (string?)g));
        Assert.Equal(0, asMaster.ExitCode);
    }

    [Fact]
    public async Task ClusterRoleView_Bootstrapped_AggregatedAndAnnotated()
    {
        var view = await _server.Client.RbacAuthorizationV1.ReadClusterRoleAsync("view");
        var edit = await _server.Client.RbacAuthorizationV1.ReadClusterRoleAsync("edit");
        var admin = await _server.Client.RbacAuthorizationV1.ReadClusterRoleAsync("admin");

        Assert.Equal("true", view.Metadata.Annotations["rbac.authorization.kubernetes.io/autoupdate"]);
        Assert.Equal("rbac-defaults", view.Metadata.Labels["kubernetes.io/bootstrapping"]);
        Assert.Contains(view.Rules, r => r.Resources.Contains("pods") && r.Verbs.SequenceEqual(["get", "list", "watch"]));
        Assert.DoesNotContain(view.Rules, r => r.Resources.Contains("secrets"));
        Assert.Contains(edit.Rules, r => r.Resources.Contains("secrets") && r.Verbs.Contains("create"));
        Assert.Contains(edit.Rules, r => r.Resources.Contains("pods") && r.Verbs.SequenceEqual(["get", "list", "watch"]));
        Assert.Contains(admin.Rules, r => r.Resources.Contains("rolebindings"));
        Assert.Contains(admin.Rules, r => r.Resources.Contains("secrets") && r.Verbs.Contains("create"));
    }

    [Fact]
    public async Task ClusterRoleAggregation_NewLabelledRole_JoinsView()
    {
        await _server.Client.RbacAuthorizationV1.CreateClusterRoleAsync(new V1ClusterRole
        {
            Metadata = new V1ObjectMeta { Name = "widgets-view", Labels = new Dictionary<string, string> { ["rbac.authorization.k8s.io/aggregate-to-view"] = "true" } },
            Rules = [new V1PolicyRule { ApiGroups = ["example.com"], Resources = ["widgets"], Verbs = ["get"] }],
        });

        await Eventually.TrueAsync(async () => (await _server.Client.RbacAuthorizationV1.ReadClusterRoleAsync("view")).Rules.Any(r => r.Resources.Contains("widgets")), "widgets aggregated into view");
        await Eventually.TrueAsync(async () => (await _server.Client.RbacAuthorizationV1.ReadClusterRoleAsync("admin")).Rules.Any(r => r.Resources.Contains("widgets")), "and through edit into admin");
    }

    [Fact]
    public async Task Escalation_BindClusterAdminWithoutHoldingIt_Forbidden()
    {
        await _kubectl.OkAsync("create", "namespace", "rbac-esc");
        await _kubectl.OkAsync("create", "rolebinding", "dora-admin", "--clusterrole=admin", "--user=dora", "-n", "rbac-esc");
        await Eventually.TrueAsync(async () => (await _kubectl.RunAsync(["auth", "can-i", "create", "rolebindings", "-n", "rbac-esc", "--as", "dora"])).ExitCode == 0, "dora may create rolebindings");

        var allowed = await _kubectl.RunAsync(["create", "rolebinding", "eve-view", "--clusterrole=view", "--user=eve", "-n", "rbac-esc", "--as", "dora"]);
        var escalation = await _kubectl.RunAsync(["create", "rolebinding", "dora-root", "--clusterrole=cluster-admin", "--user=dora", "-n", "rbac-esc", "--as", "dora"]);

        Assert.Equal(0, allowed.ExitCode);
        Assert.Equal(1, escalation.ExitCode);
        Assert.StartsWith(
            "error: failed to create rolebinding: rolebindings.rbac.authorization.k8s.io \"dora-root\" is forbidden: user \"dora\" (groups=[\"system:authenticated\"]) is attempting to grant RBAC permissions not currently held:",
            escalation.Stderr.Trim(),
            StringComparison.Ordinal);
        Assert.Contains("{APIGroups:[\"*\"], Resources:[\"*\"], Verbs:[\"*\"]}", escalation.Stderr, StringComparison.Ordinal);
    }
}

using Berth.ApiServer.Security;
using k8s.Models;
using static Berth.ApiServer.Authorization.PolicyRules;

namespace Berth.ApiServer.Authorization;

/// <summary>
/// The default ClusterRoles and ClusterRoleBindings every cluster has, ported from kubernetes
/// <c>plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go</c> (without the per-controller roles: Berth's controllers
/// run as the admin), plus Berth's two node roles. Each carries the label <c>kubernetes.io/bootstrapping: rbac-defaults</c>
/// and the annotation <c>rbac.authorization.kubernetes.io/autoupdate: "true"</c>; <see cref="PolicyReconciler"/> keeps
/// them at every start.
/// </summary>
internal static partial class BootstrapPolicy
{
    public const string AutoUpdateAnnotation = "rbac.authorization.kubernetes.io/autoupdate";

    /// <summary>The ClusterRole (and ClusterRoleBinding to <c>system:nodes</c>) of the node's DNS server: its slice and namespaces.</summary>
    public const string NodeDnsRole = "system:berth-node-dns";

    /// <summary>The ClusterRoleBinding of <c>system:node-proxier</c> to <c>system:nodes</c>: every node runs Berth's service proxy.</summary>
    public const string NodeProxierBinding = "system:berth-node-proxier";

    private const string Rbac = "rbac.authorization.k8s.io";
    private const string AggregateToAdmin = "rbac.authorization.k8s.io/aggregate-to-admin";
    private const string AggregateToEdit = "rbac.authorization.k8s.io/aggregate-to-edit";
    private const string AggregateToView = "rbac.authorization.k8s.io/aggregate-to-view";

    private static readonly string[] _read = ["get", "list", "watch"];
    private static readonly string[] _write = ["create", "update", "patch", "delete", "deletecollection"];
    private static readonly string[] _readWrite = ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"];
    private static readonly string[] _readUpdate = ["get", "list", "watch", "update", "patch"];

    public static IReadOnlyList<V1ClusterRoleBinding> ClusterRoleBindings() =>
    [
        Binding("cluster-admin", Group(UserInfo.SystemMasters)),
        Binding("system:monitoring", Group("system:monitoring")),
        Binding("system:discovery", Group(UserInfo.AllAuthenticated)),
        Binding("system:basic-user", Group(UserInfo.AllAuthenticated)),
        Binding("system:public-info-viewer", Group(UserInfo.AllAuthenticated), Group("system:unauthenticated")),
        Binding("system:node-proxier", User("system:kube-proxy")),
        Binding("system:kube-controller-manager", User("system:kube-controller-manager")),
        Binding("system:kube-dns", new Rbacv1Subject { Kind = "ServiceAccount", Name = "kube-dns", NamespaceProperty = "kube-system" }),
        Binding("system:kube-scheduler", User("system:kube-scheduler")),
        Binding("system:volume-scheduler", User("system:kube-scheduler")),
        // Deprecated since the Node authorizer (1.7): kept, without subjects, so that tightening can remove them.
        Binding("system:node"),
        Binding("system:service-account-issuer-discovery", Group("system:serviceaccounts")),
        Binding(NodeProxierBinding, "system:node-proxier", Group(UserInfo.NodesGroup)),
        Binding(NodeDnsRole, Group(UserInfo.NodesGroup)),
    ];

    private static V1ClusterRole Role(string name, params V1PolicyRule[] rules) => Role(name, null, rules);

    private static V1ClusterRole Role(string name, IDictionary<string, string>? labels, params V1PolicyRule[] rules) => new()
    {
        ApiVersion = Rbac + "/v1",
        Kind = "ClusterRole",
        Metadata = Metadata(name, labels),
        Rules = rules,
    };

    private static V1ClusterRole Aggregated(string name, string selectorLabel, string? ownLabel) => new()
    {
        ApiVersion = Rbac + "/v1",
        Kind = "ClusterRole",
        Metadata = Metadata(name, ownLabel is null ? null : new Dictionary<string, string> { [ownLabel] = "true" }),
        AggregationRule = new V1AggregationRule
        {
            ClusterRoleSelectors = [new V1LabelSelector { MatchLabels = new Dictionary<string, string> { [selectorLabel] = "true" } }],
        },
    };

    private static V1ClusterRoleBinding Binding(string name, params Rbacv1Subject[] subjects) => Binding(name, name, subjects);

    private static V1ClusterRoleBinding Binding(string name, string role, params Rbacv1Subject[] subjects) => new()
    {
        ApiVersion = Rbac + "/v1",
        Kind = "ClusterRoleBinding",
        Metadata = Metadata(name, null),
        RoleRef = new V1RoleRef { ApiGroup = Rbac, Kind = "ClusterRole", Name = role },
        Subjects = subjects.Length == 0 ? null : subjects,
    };

    private static Rbacv1Subject Group(string name) => new() { Kind = "Group", ApiGroup = Rbac, Name = name };

    private static Rbacv1Subject User(string name) => new() { Kind = "User", ApiGroup = Rbac, Name = name };

    private static V1ObjectMeta Metadata(string name, IDictionary<string, string>? labels)
    {
        var all = new Dictionary<string, string>(labels ?? new Dictionary<string, string>()) { ["kubernetes.io/bootstrapping"] = "rbac-defaults" };
        return new V1ObjectMeta
        {
            Name = name,
            Labels = all,
            Annotations = new Dictionary<string, string> { [AutoUpdateAnnotation] = "true" },
        };
    }
}

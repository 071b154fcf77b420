using k8s.Models;
using static Berth.ApiServer.Authorization.PolicyRules;

namespace Berth.ApiServer.Authorization;

internal static partial class BootstrapPolicy
{
    /// <summary>The default ClusterRoles (policy.go <c>ClusterRoles()</c>) and Berth's node DNS role.</summary>
    public static IReadOnlyList<V1ClusterRole> ClusterRoles() =>
    [
        // A "root" role which can do absolutely anything.
        Role("cluster-admin", Resources(["*"], ["*"], ["*"]), Urls(["*"], "*")),
        // Just enough to learn whether the server is ready and discover API versions.
        Role("system:discovery", Urls(["get"], "/livez", "/readyz", "/healthz", "/version", "/version/", "/openapi", "/openapi/*", "/api", "/api/*", "/apis", "/apis/*")),
        Role("system:monitoring", Urls(["get"], "/metrics", "/livez", "/readyz", "/healthz", "/livez/*", "/readyz/*", "/healthz/*")),
        // Lets a "normal" user learn what it may do.
        Role("system:basic-user", Resources(["create"], ["authorization.k8s.io"], ["selfsubjectaccessreviews", "selfsubjectrulesreviews"])),
        Role("system:public-info-viewer", Urls(["get"], "/livez", "/readyz", "/healthz", "/version", "/version/")),
        // Namespace admin, editor and viewer: filled by the clusterrole-aggregation controller from the roles below.
        Aggregated("admin", AggregateToAdmin, null),
        Aggregated("edit", AggregateToEdit, AggregateToAdmin),
        Aggregated("view", AggregateToView, AggregateToEdit),
        Role("system:aggregate-to-admin", new Dictionary<string, string> { [AggregateToAdmin] = "true" },
            Resources(["create"], ["authorization.k8s.io"], ["localsubjectaccessreviews"]),
            Resources(_readWrite, [Rbac], ["roles", "rolebindings"])),
        Role("system:aggregate-to-edit", new Dictionary<string, string> { [AggregateToEdit] = "true" },
            // Read on escalating resources.
            Resources(_read, [""], ["pods/attach", "pods/proxy", "pods/exec", "pods/portforward", "secrets", "services/proxy"]),
            Resources(["impersonate"], [""], ["serviceaccounts"]),
            Resources(_write, [""], ["pods", "pods/attach", "pods/proxy", "pods/exec", "pods/portforward"]),
            Resources(["create"], [""], ["pods/eviction"]),
            Resources(_write, [""], ["replicationcontrollers", "replicationcontrollers/scale", "serviceaccounts", "services", "services/proxy", "persistentvolumeclaims", "configmaps", "secrets", "events"]),
            Resources(["create"], [""], ["serviceaccounts/token"]),
            Resources(_write, ["apps"], ["statefulsets", "statefulsets/scale", "daemonsets", "deployments", "deployments/scale", "deployments/rollback", "replicasets", "replicasets/scale"]),
            Resources(_write, ["autoscaling"], ["horizontalpodautoscalers"]),
            Resources(_write, ["batch"], ["jobs", "cronjobs"]),
            Resources(_write, ["extensions"], ["daemonsets", "deployments", "deployments/scale", "deployments/rollback", "ingresses", "replicasets", "replicasets/scale", "replicationcontrollers/scale", "networkpolicies"]),
            Resources(_write, ["policy"], ["poddisruptionbudgets"]),
            Resources(_write, ["networking.k8s.io"], ["networkpolicies", "ingresses"])),
        Role("system:aggregate-to-view", new Dictionary<string, string> { [AggregateToView] = "true" },
            Resources(_read, [""], ["pods", "replicationcontrollers", "replicationcontrollers/scale", "serviceaccounts", "services", "services/status", "endpoints", "persistentvolumeclaims", "persistentvolumeclaims/status", "configmaps"]),
            Resources(_read, [""], ["limitranges", "resourcequotas", "bindings", "events", "pods/status", "resourcequotas/status", "namespaces/status", "replicationcontrollers/status", "pods/log"]),
            // Read access to namespaces at the namespace scope means you can read *this* namespace.
            Resources(_read, [""], ["namespaces"]),
            Resources(_read, ["discovery.k8s.io"], ["endpointslices"]),
            Resources(_read, ["apps"], ["controllerrevisions", "statefulsets", "statefulsets/status", "statefulsets/scale", "daemonsets", "daemonsets/status", "deployments", "deployments/status", "deployments/scale", "replicasets", "replicasets/status", "replicasets/scale"]),
            Resources(_read, ["autoscaling"], ["horizontalpodautoscalers", "horizontalpodautoscalers/status"]),
            Resources(_read, ["batch"], ["jobs", "cronjobs", "cronjobs/status", "jobs/status"]),
            Resources(_read, ["extensions"], ["daemonsets", "daemonsets/status", "deployments", "deployments/scale", "deployments/status", "ingresses", "ingresses/status", "replicasets", "replicasets/scale", "replicasets/status", "replicationcontrollers/scale", "networkpolicies"]),
            Resources(_read, ["policy"], ["poddisruptionbudgets", "poddisruptionbudgets/status"]),
            Resources(_read, ["networking.k8s.io"], ["networkpolicies", "ingresses", "ingresses/status"])),
        Role("system:heapster",
            Resources(_read, [""], ["events", "pods", "nodes", "namespaces"]),
            Resources(_read, ["extensions"], ["deployments"])),
        // What a kubelet needs; the Node authorizer applies these rules to nodes (this role is bound to no one).
        Role("system:node", [.. NodeRules.All]),
        Role("system:node-problem-detector",
            Resources(["get"], [""], ["nodes"]),
            Resources(["patch"], [""], ["nodes/status"]),
            EventsRule()),
        Role("system:kubelet-api-admin",
            Resources(["get", "list", "watch"], [""], ["nodes"]),
            Resources(["proxy"], [""], ["nodes"]),
            Resources(["*"], [""], ["nodes/proxy", "nodes/metrics", "nodes/spec", "nodes/stats", "nodes/log"])),
        Role("system:node-bootstrapper", Resources(["create", "get", "list", "watch"], ["certificates.k8s.io"], ["certificatesigningrequests"])),
        Role("system:auth-delegator",
            Resources(["create"], ["authentication.k8s.io"], ["tokenreviews"]),
            Resources(["create"], ["authorization.k8s.io"], ["subjectaccessreviews"])),
        Role("system:kube-aggregator", Resources(_read, [""], ["services", "endpoints"])),
        Role("system:kube-controller-manager",
            EventsRule(),
            Resources(["create"], ["coordination.k8s.io"], ["leases"]),
            Resources(["get", "update"], ["coordination.k8s.io"], ["leases"], ["kube-controller-manager"]),
            Resources(["create"], [""], ["secrets", "serviceaccounts"]),
            Resources(["delete"], [""], ["secrets"]),
            Resources(["get"], [""], ["namespaces", "secrets", "serviceaccounts", "configmaps"]),
            Resources(["update"], [""], ["secrets", "serviceaccounts"]),
            Resources(["create"], ["authentication.k8s.io"], ["tokenreviews"]),
            Resources(["create"], ["authorization.k8s.io"], ["subjectaccessreviews"]),
            Resources(["list", "watch"], ["*"], ["*"]),
            Resources(["create"], [""], ["serviceaccounts/token"])),
        Role("system:kube-dns", Resources(["list", "watch"], [""], ["endpoints", "services"])),
        Role("system:persistent-volume-provisioner",
            Resources(["get", "list", "watch", "create", "delete"], [""], ["persistentvolumes"]),
            Resources(["get", "list", "watch", "update"], [""], ["persistentvolumeclaims"]),
            Resources(_read, ["storage.k8s.io"], ["storageclasses"]),
            Resources(["watch"], [""], ["events"]),
            EventsRule()),
        Role("system:volume-scheduler",
            Resources(_readUpdate, [""], ["persistentvolumes"]),
            Resources(_read, ["storage.k8s.io"], ["storageclasses"]),
            Resources(_readUpdate, [""], ["persistentvolumeclaims"])),
        Role("system:service-account-issuer-discovery", Urls(["get"], "/.well-known/openid-configuration", "/openid/v1/jwks")),
        // kube-proxy's role; Berth binds it to every node (system:berth-node-proxier), whose service proxy needs it.
        Role("system:node-proxier",
            Resources(["list", "watch"], [""], ["services", "endpoints"]),
            Resources(["get", "list", "watch"], [""], ["nodes"]),
            EventsRule(),
            Resources(["list", "watch"], ["discovery.k8s.io"], ["endpointslices"])),
        Role("system:kube-scheduler",
            EventsRule(),
            Resources(["create"], ["coordination.k8s.io"], ["leases"]),
            Resources(["get", "update"], ["coordination.k8s.io"], ["leases"], ["kube-scheduler"]),
            Resources(_read, [""], ["nodes"]),
            Resources(["get", "list", "watch", "delete"], [""], ["pods"]),
            Resources(["create"], [""], ["pods/binding", "bindings"]),
            Resources(["patch", "update"], [""], ["pods/status"]),
            Resources(_read, [""], ["services", "replicationcontrollers"]),
            Resources(_read, ["apps", "extensions"], ["replicasets"]),
            Resources(_read, ["apps"], ["statefulsets"]),
            Resources(_read, ["policy"], ["poddisruptionbudgets"]),
            Resources(_read, [""], ["persistentvolumeclaims", "persistentvolumes"]),
            Resources(["create"], ["authentication.k8s.io"], ["tokenreviews"]),
            Resources(["create"], ["authorization.k8s.io"], ["subjectaccessreviews"]),
            Resources(_read, ["storage.k8s.io"], ["csinodes"]),
            Resources(_read, [""], ["namespaces"]),
            Resources(_read, ["storage.k8s.io"], ["csidrivers"]),
            Resources(_read, ["storage.k8s.io"], ["csistoragecapacities"])),
        // Berth: the node's DNS server watches namespaces and writes its own kube-dns-<node> EndpointSlice (NodeRestriction
        // admission allows a node only that one name in kube-system).
        Role(NodeDnsRole,
            Resources(["list", "watch"], [""], ["namespaces"]),
            Resources(["get", "create", "update", "patch", "delete"], ["discovery.k8s.io"], ["endpointslices"])),
    ];

    /// <summary><c>eventsRule()</c>: create, update and patch core and events.k8s.io Events.</summary>
    private static V1PolicyRule EventsRule() => Resources(["create", "update", "patch"], ["", "events.k8s.io"], ["events"]);
}

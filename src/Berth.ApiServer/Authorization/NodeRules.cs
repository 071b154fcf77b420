using k8s.Models;
using static Berth.ApiServer.Authorization.PolicyRules;

namespace Berth.ApiServer.Authorization;

/// <summary>
/// What every node may do outside the Node authorizer's subdivided kinds: kubernetes
/// <c>plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go</c> <c>NodeRules()</c> (the rules of the system:node
/// ClusterRole), which the Node authorizer applies to <c>system:node:&lt;name&gt;</c> users in <c>system:nodes</c>.
/// NodeRestriction admission narrows the writes to the node's own objects.
/// </summary>
internal static class NodeRules
{
    private static readonly string[] _read = ["get", "list", "watch"];

    public static IReadOnlyList<V1PolicyRule> All { get; } =
    [
        // Needed to check API access. These creates are non-mutating.
        Resources(["create"], ["authentication.k8s.io"], ["tokenreviews"]),
        Resources(["create"], ["authorization.k8s.io"], ["subjectaccessreviews", "localsubjectaccessreviews"]),
        // Needed to build serviceLister, to populate env vars for services.
        Resources(_read, [""], ["services"]),
        // Nodes can register Node API objects and report status; NodeRestriction limits them to their own.
        Resources(["create", "get", "list", "watch"], [""], ["nodes"]),
        Resources(["update", "patch"], [""], ["nodes/status"]),
        Resources(["update", "patch"], [""], ["nodes"]),
        Resources(["create", "update", "patch"], [""], ["events"]),
        Resources(_read, [""], ["pods"]),
        // Mirror pods; NodeRestriction limits them to pods bound to the node.
        Resources(["create", "delete"], [""], ["pods"]),
        Resources(["update", "patch"], [""], ["pods/status"]),
        Resources(["create"], [""], ["pods/eviction"]),
        // Subdivided by the Node authorizer: only those the node's pods reference.
        Resources(["get", "list", "watch"], [""], ["secrets", "configmaps"]),
        Resources(["get"], [""], ["persistentvolumeclaims", "persistentvolumes"]),
        Resources(["get"], [""], ["endpoints"]),
        Resources(["create", "get", "list", "watch"], ["certificates.k8s.io"], ["certificatesigningrequests"]),
        Resources(["get", "create", "update", "patch", "delete"], ["coordination.k8s.io"], ["leases"]),
        Resources(["get"], ["storage.k8s.io"], ["volumeattachments"]),
        Resources(["create"], [""], ["serviceaccounts/token"]),
        Resources(["get", "update", "patch"], [""], ["persistentvolumeclaims/status"]),
        Resources(["get", "watch", "list"], ["storage.k8s.io"], ["csidrivers"]),
        Resources(["get", "create", "update", "patch", "delete"], ["storage.k8s.io"], ["csinodes"]),
        Resources(_read, ["node.k8s.io"], ["runtimeclasses"]),
    ];
}

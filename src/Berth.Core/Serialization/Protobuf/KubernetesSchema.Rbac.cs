using static Berth.Core.Serialization.Protobuf.ProtoField;

namespace Berth.Core.Serialization.Protobuf;

internal static partial class KubernetesSchema
{
    /// <summary>
    /// Role, ClusterRole and their bindings (<c>kubectl create role|clusterrole|rolebinding|clusterrolebinding</c>).
    /// Field numbers and names from kubernetes/kubernetes staging/src/k8s.io/api/rbac/v1/generated.proto; Go's JSON:
    /// <c>verbs</c>, <c>rules</c>, <c>roleRef</c> and the RoleRef and Subject strings but <c>apiGroup</c>/<c>namespace</c>
    /// of a Subject have no omitempty.
    /// </summary>
    private static void AddRbac(Dictionary<string, ProtoField[]> m)
    {
        m["PolicyRule"] =
        [
            Strs(1, "verbs"), Strs(2, "apiGroups"), Strs(3, "resources"), Strs(4, "resourceNames"), Strs(5, "nonResourceURLs"),
        ];
        m["Role"] =
        [
            Msg(1, "metadata", "ObjectMeta"), Msgs(2, "rules", "PolicyRule"),
        ];
        m["ClusterRole"] =
        [
            Msg(1, "metadata", "ObjectMeta"), Msgs(2, "rules", "PolicyRule"), Msg(3, "aggregationRule", "AggregationRule"),
        ];
        m["AggregationRule"] =
        [
            Msgs(1, "clusterRoleSelectors", "LabelSelector"),
        ];
        m["RoleRef"] =
        [
            Str(1, "apiGroup", keep: true), Str(2, "kind", keep: true), Str(3, "name", keep: true),
        ];
        m["Subject"] =
        [
            Str(1, "kind", keep: true), Str(2, "apiGroup"), Str(3, "name", keep: true), Str(4, "namespace"),
        ];
        m["RoleBinding"] =
        [
            Msg(1, "metadata", "ObjectMeta"), Msgs(2, "subjects", "Subject"), Msg(3, "roleRef", "RoleRef"),
        ];
        m["ClusterRoleBinding"] = m["RoleBinding"];
    }
}

using static Berth.Core.Serialization.Protobuf.ProtoField;

namespace Berth.Core.Serialization.Protobuf;

internal static partial class KubernetesSchema
{
    /// <summary>
    /// ServiceAccount (core/v1) and the TokenRequest its <c>token</c> subresource takes (authentication.k8s.io/v1). Field
    /// numbers and names from kubernetes/kubernetes staging/src/k8s.io/api/core/v1/generated.proto and
    /// staging/src/k8s.io/api/authentication/v1/generated.proto.
    /// </summary>
    private static void AddServiceAccounts(Dictionary<string, ProtoField[]> m)
    {
        m["ServiceAccount"] =
        [
            Msg(1, "metadata", "ObjectMeta"), Msgs(2, "secrets", "ObjectReference"), Msgs(3, "imagePullSecrets", "LocalObjectReference"),
            Bool(4, "automountServiceAccountToken", keep: true),
        ];
        m["ObjectReference"] =
        [
            Str(1, "kind"), Str(2, "namespace"), Str(3, "name"), Str(4, "uid"), Str(5, "apiVersion"), Str(6, "resourceVersion"),
            Str(7, "fieldPath"),
        ];
        m["TokenRequest"] =
        [
            Msg(1, "metadata", "ObjectMeta"), Msg(2, "spec", "TokenRequestSpec"), Msg(3, "status", "TokenRequestStatus"),
        ];
        m["TokenRequestSpec"] =
        [
            Strs(1, "audiences"), I64(4, "expirationSeconds", keep: true), Msg(3, "boundObjectRef", "BoundObjectReference"),
        ];
        m["BoundObjectReference"] =
        [
            Str(1, "kind"), Str(2, "apiVersion"), Str(3, "name"), Str(4, "uid"),
        ];
        m["TokenRequestStatus"] =
        [
            Str(1, "token", keep: true), Time(2, "expirationTimestamp"),
        ];
    }
}

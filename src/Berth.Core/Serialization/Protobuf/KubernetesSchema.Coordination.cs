using static Berth.Core.Serialization.Protobuf.ProtoField;

namespace Berth.Core.Serialization.Protobuf;

internal static partial class KubernetesSchema
{
    /// <summary>Lease. Field numbers and names from kubernetes/kubernetes staging/src/k8s.io/api/coordination/v1/generated.proto.</summary>
    private static void AddCoordination(Dictionary<string, ProtoField[]> m)
    {
        m["Lease"] =
        [
            Msg(1, "metadata", "ObjectMeta"), Msg(2, "spec", "LeaseSpec"),
        ];
        m["LeaseSpec"] =
        [
            Str(1, "holderIdentity", keep: true), I32(2, "leaseDurationSeconds", keep: true), MicroTime(3, "acquireTime"),
            MicroTime(4, "renewTime"), I32(5, "leaseTransitions", keep: true), Str(6, "strategy", keep: true),
            Str(7, "preferredHolder", keep: true),
        ];
    }
}

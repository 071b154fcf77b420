using static Berth.Core.Serialization.Protobuf.ProtoField;

namespace Berth.Core.Serialization.Protobuf;

internal static partial class KubernetesSchema
{
    /// <summary>ObjectMeta and the meta.k8s.io/v1 helpers (managedFields is skipped: servers own it). Field numbers and names from kubernetes/kubernetes staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/generated.proto.</summary>
    private static void AddMeta(Dictionary<string, ProtoField[]> m)
    {
        m["ObjectMeta"] =
        [
            Str(1, "name"), Str(2, "generateName"), Str(3, "namespace"), Str(4, "selfLink"), Str(5, "uid"), Str(6, "resourceVersion"),
            I64(7, "generation"), Time(8, "creationTimestamp"), Time(9, "deletionTimestamp"),
            I64(10, "deletionGracePeriodSeconds", keep: true), MapStr(11, "labels"), MapStr(12, "annotations"),
            Msgs(13, "ownerReferences", "OwnerReference"), Strs(14, "finalizers"),
        ];
        m["OwnerReference"] =
        [
            Str(5, "apiVersion", keep: true), Str(1, "kind", keep: true), Str(3, "name", keep: true), Str(4, "uid", keep: true),
            Bool(6, "controller", keep: true), Bool(7, "blockOwnerDeletion", keep: true),
        ];
        m["LabelSelector"] =
        [
            MapStr(1, "matchLabels"), Msgs(2, "matchExpressions", "LabelSelectorRequirement"),
        ];
        m["LabelSelectorRequirement"] =
        [
            Str(1, "key", keep: true), Str(2, "operator", keep: true), Strs(3, "values"),
        ];
        m["Condition"] =
        [
            Str(1, "type", keep: true), Str(2, "status", keep: true), I64(3, "observedGeneration"), Time(4, "lastTransitionTime"),
            Str(5, "reason", keep: true), Str(6, "message", keep: true),
        ];
    }
}

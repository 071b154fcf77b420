using static Berth.Core.Serialization.Protobuf.ProtoField;

namespace Berth.Core.Serialization.Protobuf;

internal static partial class KubernetesSchema
{
    /// <summary>
    /// autoscaling/v1 HorizontalPodAutoscaler, which <c>kubectl autoscale</c> sends as protobuf. Field numbers and
    /// names from kubernetes/kubernetes staging/src/k8s.io/api/autoscaling/v1/generated.proto.
    /// </summary>
    private static void AddAutoscaling(Dictionary<string, ProtoField[]> m)
    {
        m["AutoscalingV1HorizontalPodAutoscaler"] =
        [
            Msg(1, "metadata", "ObjectMeta"), Msg(2, "spec", "AutoscalingV1HorizontalPodAutoscalerSpec"), Msg(3, "status", "AutoscalingV1HorizontalPodAutoscalerStatus"),
        ];
        m["AutoscalingV1HorizontalPodAutoscalerSpec"] =
        [
            Msg(1, "scaleTargetRef", "AutoscalingV1CrossVersionObjectReference"), I32(2, "minReplicas", keep: true), I32(3, "maxReplicas", keep: true),
            I32(4, "targetCPUUtilizationPercentage", keep: true),
        ];
        m["AutoscalingV1CrossVersionObjectReference"] =
        [
            Str(1, "kind", keep: true), Str(2, "name", keep: true), Str(3, "apiVersion"),
        ];
        m["AutoscalingV1HorizontalPodAutoscalerStatus"] =
        [
            I64(1, "observedGeneration", keep: true), Time(2, "lastScaleTime"), I32(3, "currentReplicas", keep: true), I32(4, "desiredReplicas", keep: true),
            I32(5, "currentCPUUtilizationPercentage", keep: true),
        ];
    }
}

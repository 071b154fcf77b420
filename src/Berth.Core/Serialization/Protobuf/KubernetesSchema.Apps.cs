using static Berth.Core.Serialization.Protobuf.ProtoField;

namespace Berth.Core.Serialization.Protobuf;

internal static partial class KubernetesSchema
{
    /// <summary>Deployment and ReplicaSet. Field numbers and names from kubernetes/kubernetes staging/src/k8s.io/api/apps/v1/generated.proto.</summary>
    private static void AddApps(Dictionary<string, ProtoField[]> m)
    {
        m["Deployment"] =
        [
            Msg(1, "metadata", "ObjectMeta"), Msg(2, "spec", "DeploymentSpec"), Msg(3, "status", "DeploymentStatus"),
        ];
        m["DeploymentSpec"] =
        [
            I32(1, "replicas", keep: true), Msg(2, "selector", "LabelSelector"), Msg(3, "template", "PodTemplateSpec"),
            Msg(4, "strategy", "DeploymentStrategy"), I32(5, "minReadySeconds"), I32(6, "revisionHistoryLimit", keep: true),
            Bool(7, "paused"), I32(9, "progressDeadlineSeconds", keep: true),
        ];
        m["DeploymentStrategy"] =
        [
            Str(1, "type"), Msg(2, "rollingUpdate", "RollingUpdateDeployment"),
        ];
        m["RollingUpdateDeployment"] =
        [
            IntOrStr(1, "maxUnavailable"), IntOrStr(2, "maxSurge"),
        ];
        m["DeploymentStatus"] =
        [
            I64(1, "observedGeneration"), I32(2, "replicas"), I32(3, "updatedReplicas"), I32(7, "readyReplicas"),
            I32(4, "availableReplicas"), I32(5, "unavailableReplicas"), I32(9, "terminatingReplicas", keep: true),
            Msgs(6, "conditions", "DeploymentCondition"), I32(8, "collisionCount", keep: true),
        ];
        m["DeploymentCondition"] =
        [
            Str(1, "type", keep: true), Str(2, "status", keep: true), Time(6, "lastUpdateTime"), Time(7, "lastTransitionTime"),
            Str(4, "reason"), Str(5, "message"),
        ];
        m["ReplicaSet"] =
        [
            Msg(1, "metadata", "ObjectMeta"), Msg(2, "spec", "ReplicaSetSpec"), Msg(3, "status", "ReplicaSetStatus"),
        ];
        m["ReplicaSetSpec"] =
        [
            I32(1, "replicas", keep: true), I32(4, "minReadySeconds"), Msg(2, "selector", "LabelSelector"),
            Msg(3, "template", "PodTemplateSpec"),
        ];
        m["ReplicaSetStatus"] =
        [
            I32(1, "replicas", keep: true), I32(2, "fullyLabeledReplicas"), I32(4, "readyReplicas"), I32(5, "availableReplicas"),
            I32(7, "terminatingReplicas", keep: true), I64(3, "observedGeneration"), Msgs(6, "conditions", "ReplicaSetCondition"),
        ];
        m["ReplicaSetCondition"] =
        [
            Str(1, "type", keep: true), Str(2, "status", keep: true), Time(3, "lastTransitionTime"), Str(4, "reason"), Str(5, "message"),
        ];
    }
}

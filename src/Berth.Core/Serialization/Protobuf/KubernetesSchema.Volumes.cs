using static Berth.Core.Serialization.Protobuf.ProtoField;

namespace Berth.Core.Serialization.Protobuf;

internal static partial class KubernetesSchema
{
    /// <summary>Volume with the in-tree sources a local node can serve (hostPath, emptyDir, secret, configMap, persistentVolumeClaim, downwardAPI, projected); cloud and network sources are skipped. Field numbers and names from kubernetes/kubernetes staging/src/k8s.io/api/core/v1/generated.proto.</summary>
    private static void AddVolumes(Dictionary<string, ProtoField[]> m)
    {
        m["Volume"] =
        [
            Str(1, "name", keep: true), Inline(2, "VolumeSource"),
        ];
        m["VolumeSource"] =
        [
            Msg(1, "hostPath", "HostPathVolumeSource"), Msg(2, "emptyDir", "EmptyDirVolumeSource"), Msg(6, "secret", "SecretVolumeSource"),
            Msg(10, "persistentVolumeClaim", "PersistentVolumeClaimVolumeSource"), Msg(16, "downwardAPI", "DownwardAPIVolumeSource"),
            Msg(19, "configMap", "ConfigMapVolumeSource"), Msg(26, "projected", "ProjectedVolumeSource"),
        ];
        m["HostPathVolumeSource"] =
        [
            Str(1, "path", keep: true), Str(2, "type", keep: true),
        ];
        m["EmptyDirVolumeSource"] =
        [
            Str(1, "medium"), Qty(2, "sizeLimit"), I32(3, "mode", keep: true),
        ];
        m["SecretVolumeSource"] =
        [
            Str(1, "secretName"), Msgs(2, "items", "KeyToPath"), I32(3, "defaultMode", keep: true), Bool(4, "optional", keep: true),
            I64(5, "defaultUser", keep: true),
        ];
        m["PersistentVolumeClaimVolumeSource"] =
        [
            Str(1, "claimName", keep: true), Bool(2, "readOnly"),
        ];
        m["DownwardAPIVolumeSource"] =
        [
            Msgs(1, "items", "DownwardAPIVolumeFile"), I32(2, "defaultMode", keep: true), I64(3, "defaultUser", keep: true),
        ];
        m["ConfigMapVolumeSource"] =
        [
            Inline(1, "LocalObjectReference"), Msgs(2, "items", "KeyToPath"), I32(3, "defaultMode", keep: true),
            Bool(4, "optional", keep: true), I64(5, "defaultUser", keep: true),
        ];
        m["ProjectedVolumeSource"] =
        [
            Msgs(1, "sources", "VolumeProjection"), I32(2, "defaultMode", keep: true), I64(3, "defaultUser", keep: true),
        ];
        m["KeyToPath"] =
        [
            Str(1, "key", keep: true), Str(2, "path", keep: true), I32(3, "mode", keep: true), I64(4, "user", keep: true),
        ];
        m["DownwardAPIVolumeFile"] =
        [
            Str(1, "path", keep: true), Msg(2, "fieldRef", "ObjectFieldSelector"), Msg(3, "resourceFieldRef", "ResourceFieldSelector"),
            I32(4, "mode", keep: true), I64(5, "user", keep: true),
        ];
        m["VolumeProjection"] =
        [
            Msg(1, "secret", "SecretProjection"), Msg(2, "downwardAPI", "DownwardAPIProjection"),
            Msg(3, "configMap", "ConfigMapProjection"), Msg(4, "serviceAccountToken", "ServiceAccountTokenProjection"),
        ];
        m["SecretProjection"] =
        [
            Inline(1, "LocalObjectReference"), Msgs(2, "items", "KeyToPath"), Bool(4, "optional", keep: true),
        ];
        m["DownwardAPIProjection"] =
        [
            Msgs(1, "items", "DownwardAPIVolumeFile"),
        ];
        m["ConfigMapProjection"] =
        [
            Inline(1, "LocalObjectReference"), Msgs(2, "items", "KeyToPath"), Bool(4, "optional", keep: true),
        ];
        m["ServiceAccountTokenProjection"] =
        [
            Str(1, "audience"), I64(2, "expirationSeconds", keep: true), Str(3, "path", keep: true), I64(4, "user", keep: true),
        ];
    }
}

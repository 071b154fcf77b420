using static Berth.Core.Serialization.Protobuf.ProtoField;

namespace Berth.Core.Serialization.Protobuf;

internal static partial class KubernetesSchema
{
    /// <summary>Namespace, ConfigMap, Secret and Service. Field numbers and names from kubernetes/kubernetes staging/src/k8s.io/api/core/v1/generated.proto.</summary>
    private static void AddCore(Dictionary<string, ProtoField[]> m)
    {
        m["Namespace"] =
        [
            Msg(1, "metadata", "ObjectMeta"), Msg(2, "spec", "NamespaceSpec"), Msg(3, "status", "NamespaceStatus"),
        ];
        m["NamespaceSpec"] =
        [
            Strs(1, "finalizers"),
        ];
        m["NamespaceStatus"] =
        [
            Str(1, "phase"), Msgs(2, "conditions", "NamespaceCondition"),
        ];
        m["NamespaceCondition"] =
        [
            Str(1, "type", keep: true), Str(2, "status", keep: true), Time(4, "lastTransitionTime"), Str(5, "reason"), Str(6, "message"),
        ];
        m["ConfigMap"] =
        [
            Msg(1, "metadata", "ObjectMeta"), Bool(4, "immutable", keep: true), MapStr(2, "data"), MapBytes(3, "binaryData"),
        ];
        m["Secret"] =
        [
            Msg(1, "metadata", "ObjectMeta"), Bool(5, "immutable", keep: true), MapBytes(2, "data"), MapStr(4, "stringData"),
            Str(3, "type"),
        ];
        m["Service"] =
        [
            Msg(1, "metadata", "ObjectMeta"), Msg(2, "spec", "ServiceSpec"), Msg(3, "status", "ServiceStatus"),
        ];
        m["ServiceSpec"] =
        [
            Msgs(1, "ports", "ServicePort"), MapStr(2, "selector"), Str(3, "clusterIP"), Strs(18, "clusterIPs"), Str(4, "type"),
            Strs(5, "externalIPs"), Str(7, "sessionAffinity"), Str(8, "loadBalancerIP"), Strs(9, "loadBalancerSourceRanges"),
            Str(10, "externalName"), Str(11, "externalTrafficPolicy"), I32(12, "healthCheckNodePort"), Bool(13, "publishNotReadyAddresses"),
            Msg(14, "sessionAffinityConfig", "SessionAffinityConfig"), Strs(19, "ipFamilies"), Str(17, "ipFamilyPolicy", keep: true),
            Bool(20, "allocateLoadBalancerNodePorts", keep: true), Str(21, "loadBalancerClass", keep: true),
            Str(22, "internalTrafficPolicy", keep: true), Str(23, "trafficDistribution", keep: true),
        ];
        m["ServicePort"] =
        [
            Str(1, "name"), Str(2, "protocol"), Str(6, "appProtocol", keep: true), I32(3, "port", keep: true), IntOrStr(4, "targetPort"),
            I32(5, "nodePort"),
        ];
        m["SessionAffinityConfig"] =
        [
            Msg(1, "clientIP", "ClientIPConfig"),
        ];
        m["ClientIPConfig"] =
        [
            I32(1, "timeoutSeconds", keep: true),
        ];
        m["ServiceStatus"] =
        [
            Msg(1, "loadBalancer", "LoadBalancerStatus"), Msgs(2, "conditions", "Condition"),
        ];
        m["LoadBalancerStatus"] =
        [
            Msgs(1, "ingress", "LoadBalancerIngress"),
        ];
        m["LoadBalancerIngress"] =
        [
            Str(1, "ip"), Str(2, "hostname"), Str(3, "ipMode", keep: true), Msgs(4, "ports", "PortStatus"),
        ];
        m["PortStatus"] =
        [
            I32(1, "port", keep: true), Str(2, "protocol", keep: true), Str(3, "error", keep: true),
        ];
        m["LocalObjectReference"] =
        [
            Str(1, "name"),
        ];
    }
}

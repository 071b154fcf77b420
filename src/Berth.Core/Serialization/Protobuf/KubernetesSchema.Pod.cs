using static Berth.Core.Serialization.Protobuf.ProtoField;

namespace Berth.Core.Serialization.Protobuf;

internal static partial class KubernetesSchema
{
    /// <summary>Pod, PodSpec (scheduling, DNS and security settings included), a summary of PodStatus, PodTemplateSpec. Field numbers and names from kubernetes/kubernetes staging/src/k8s.io/api/core/v1/generated.proto.</summary>
    private static void AddPod(Dictionary<string, ProtoField[]> m)
    {
        m["Pod"] =
        [
            Msg(1, "metadata", "ObjectMeta"), Msg(2, "spec", "PodSpec"), Msg(3, "status", "PodStatus"),
        ];
        m["PodSpec"] =
        [
            Msgs(1, "volumes", "Volume"), Msgs(20, "initContainers", "Container"), Msgs(2, "containers", "Container"),
            Msgs(34, "ephemeralContainers", "EphemeralContainer"), Str(3, "restartPolicy"),
            I64(4, "terminationGracePeriodSeconds", keep: true), I64(5, "activeDeadlineSeconds", keep: true), Str(6, "dnsPolicy"),
            MapStr(7, "nodeSelector"), Str(8, "serviceAccountName"), Str(9, "serviceAccount"),
            Bool(21, "automountServiceAccountToken", keep: true), Str(10, "nodeName"), Bool(11, "hostNetwork"), Bool(12, "hostPID"),
            Bool(13, "hostIPC"), Bool(27, "shareProcessNamespace", keep: true), Msg(14, "securityContext", "PodSecurityContext"),
            Msgs(15, "imagePullSecrets", "LocalObjectReference"), Str(16, "hostname"), Str(17, "subdomain"),
            Msg(18, "affinity", "Affinity"), Str(19, "schedulerName"), Msgs(22, "tolerations", "Toleration"),
            Msgs(23, "hostAliases", "HostAlias"), Str(24, "priorityClassName"), I32(25, "priority", keep: true),
            Msg(26, "dnsConfig", "PodDNSConfig"), Msgs(28, "readinessGates", "PodReadinessGate"), Str(29, "runtimeClassName", keep: true),
            Bool(30, "enableServiceLinks", keep: true), Str(31, "preemptionPolicy", keep: true), MapQty(32, "overhead"),
            Msgs(33, "topologySpreadConstraints", "TopologySpreadConstraint"), Bool(35, "setHostnameAsFQDN", keep: true),
            Msg(36, "os", "PodOS"), Bool(37, "hostUsers", keep: true), Msgs(38, "schedulingGates", "PodSchedulingGate"),
            Msgs(39, "resourceClaims", "PodResourceClaim"), Msg(40, "resources", "ResourceRequirements"),
        ];
        m["PodStatus"] =
        [
            Str(1, "phase"), Msgs(2, "conditions", "PodCondition"), Str(3, "message"), Str(4, "reason"), Str(11, "nominatedNodeName"),
            Str(5, "hostIP"), Msgs(16, "hostIPs", "HostIP"), Str(6, "podIP"), Msgs(12, "podIPs", "PodIP"), Time(7, "startTime"),
            Str(9, "qosClass"),
        ];
        m["PodCondition"] =
        [
            Str(1, "type", keep: true), I64(7, "observedGeneration"), Str(2, "status", keep: true), Time(3, "lastProbeTime"),
            Time(4, "lastTransitionTime"), Str(5, "reason"), Str(6, "message"),
        ];
        m["HostIP"] =
        [
            Str(1, "ip", keep: true),
        ];
        m["PodIP"] =
        [
            Str(1, "ip", keep: true),
        ];
        m["PodTemplateSpec"] =
        [
            Msg(1, "metadata", "ObjectMeta"), Msg(2, "spec", "PodSpec"),
        ];
        m["PodSecurityContext"] =
        [
            Msg(1, "seLinuxOptions", "SELinuxOptions"), Msg(8, "windowsOptions", "WindowsSecurityContextOptions"),
            I64(2, "runAsUser", keep: true), I64(6, "runAsGroup", keep: true), Bool(3, "runAsNonRoot", keep: true),
            I64s(4, "supplementalGroups"), Str(12, "supplementalGroupsPolicy", keep: true), I64(5, "fsGroup", keep: true),
            Msgs(7, "sysctls", "Sysctl"), Str(9, "fsGroupChangePolicy", keep: true), Msg(10, "seccompProfile", "SeccompProfile"),
            Msg(11, "appArmorProfile", "AppArmorProfile"), Str(13, "seLinuxChangePolicy", keep: true),
        ];
        m["SELinuxOptions"] =
        [
            Str(1, "user"), Str(2, "role"), Str(3, "type"), Str(4, "level"),
        ];
        m["WindowsSecurityContextOptions"] =
        [
            Str(1, "gmsaCredentialSpecName", keep: true), Str(2, "gmsaCredentialSpec", keep: true), Str(3, "runAsUserName", keep: true),
            Bool(4, "hostProcess", keep: true),
        ];
        m["Sysctl"] =
        [
            Str(1, "name", keep: true), Str(2, "value", keep: true),
        ];
        m["SeccompProfile"] =
        [
            Str(1, "type", keep: true), Str(2, "localhostProfile", keep: true),
        ];
        m["AppArmorProfile"] =
        [
            Str(1, "type", keep: true), Str(2, "localhostProfile", keep: true),
        ];
        m["Toleration"] =
        [
            Str(1, "key"), Str(2, "operator"), Str(3, "value"), Str(4, "effect"), I64(5, "tolerationSeconds", keep: true),
        ];
        m["HostAlias"] =
        [
            Str(1, "ip", keep: true), Strs(2, "hostnames"),
        ];
        m["PodDNSConfig"] =
        [
            Strs(1, "nameservers"), Strs(2, "searches"), Msgs(3, "options", "PodDNSConfigOption"),
        ];
        m["PodDNSConfigOption"] =
        [
            Str(1, "name"), Str(2, "value", keep: true),
        ];
        m["PodReadinessGate"] =
        [
            Str(1, "conditionType", keep: true),
        ];
        m["TopologySpreadConstraint"] =
        [
            I32(1, "maxSkew", keep: true), Str(2, "topologyKey", keep: true), Str(3, "whenUnsatisfiable", keep: true),
            Msg(4, "labelSelector", "LabelSelector"), I32(5, "minDomains", keep: true), Str(6, "nodeAffinityPolicy", keep: true),
            Str(7, "nodeTaintsPolicy", keep: true), Strs(8, "matchLabelKeys"),
        ];
        m["PodOS"] =
        [
            Str(1, "name", keep: true),
        ];
        m["PodSchedulingGate"] =
        [
            Str(1, "name", keep: true),
        ];
        m["PodResourceClaim"] =
        [
            Str(1, "name", keep: true), Str(3, "resourceClaimName", keep: true), Str(4, "resourceClaimTemplateName", keep: true),
        ];
        m["Affinity"] =
        [
            Msg(1, "nodeAffinity", "NodeAffinity"), Msg(2, "podAffinity", "PodAffinity"), Msg(3, "podAntiAffinity", "PodAntiAffinity"),
        ];
        m["NodeAffinity"] =
        [
            Msg(1, "requiredDuringSchedulingIgnoredDuringExecution", "NodeSelector"),
            Msgs(2, "preferredDuringSchedulingIgnoredDuringExecution", "PreferredSchedulingTerm"),
        ];
        m["PodAffinity"] =
        [
            Msgs(1, "requiredDuringSchedulingIgnoredDuringExecution", "PodAffinityTerm"),
            Msgs(2, "preferredDuringSchedulingIgnoredDuringExecution", "WeightedPodAffinityTerm"),
        ];
        m["PodAntiAffinity"] =
        [
            Msgs(1, "requiredDuringSchedulingIgnoredDuringExecution", "PodAffinityTerm"),
            Msgs(2, "preferredDuringSchedulingIgnoredDuringExecution", "WeightedPodAffinityTerm"),
        ];
        m["NodeSelector"] =
        [
            Msgs(1, "nodeSelectorTerms", "NodeSelectorTerm"),
        ];
        m["NodeSelectorTerm"] =
        [
            Msgs(1, "matchExpressions", "NodeSelectorRequirement"), Msgs(2, "matchFields", "NodeSelectorRequirement"),
        ];
        m["NodeSelectorRequirement"] =
        [
            Str(1, "key", keep: true), Str(2, "operator", keep: true), Strs(3, "values"),
        ];
        m["PreferredSchedulingTerm"] =
        [
            I32(1, "weight", keep: true), Msg(2, "preference", "NodeSelectorTerm"),
        ];
        m["PodAffinityTerm"] =
        [
            Msg(1, "labelSelector", "LabelSelector"), Strs(2, "namespaces"), Str(3, "topologyKey", keep: true),
            Msg(4, "namespaceSelector", "LabelSelector"), Strs(5, "matchLabelKeys"), Strs(6, "mismatchLabelKeys"),
        ];
        m["WeightedPodAffinityTerm"] =
        [
            I32(1, "weight", keep: true), Msg(2, "podAffinityTerm", "PodAffinityTerm"),
        ];
    }
}

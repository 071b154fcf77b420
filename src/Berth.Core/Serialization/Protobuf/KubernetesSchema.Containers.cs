using static Berth.Core.Serialization.Protobuf.ProtoField;

namespace Berth.Core.Serialization.Protobuf;

internal static partial class KubernetesSchema
{
    /// <summary>Container and what it holds: ports, env, resources, mounts, probes, lifecycle hooks, securityContext. Field numbers and names from kubernetes/kubernetes staging/src/k8s.io/api/core/v1/generated.proto.</summary>
    private static void AddContainers(Dictionary<string, ProtoField[]> m)
    {
        m["Container"] =
        [
            Str(1, "name", keep: true), Str(2, "image"), Strs(3, "command"), Strs(4, "args"), Str(5, "workingDir"),
            Msgs(6, "ports", "ContainerPort"), Msgs(19, "envFrom", "EnvFromSource"), Msgs(7, "env", "EnvVar"),
            Msg(8, "resources", "ResourceRequirements"), Msgs(23, "resizePolicy", "ContainerResizePolicy"),
            Str(24, "restartPolicy", keep: true), Msgs(25, "restartPolicyRules", "ContainerRestartRule"),
            Msgs(9, "volumeMounts", "VolumeMount"), Msgs(21, "volumeDevices", "VolumeDevice"), Msg(10, "livenessProbe", "Probe"),
            Msg(11, "readinessProbe", "Probe"), Msg(22, "startupProbe", "Probe"), Msg(12, "lifecycle", "Lifecycle"),
            Str(13, "terminationMessagePath"), Str(20, "terminationMessagePolicy"), Str(14, "imagePullPolicy"),
            Msg(15, "securityContext", "SecurityContext"), Bool(16, "stdin"), Bool(17, "stdinOnce"), Bool(18, "tty"),
        ];
        m["EphemeralContainer"] =
        [
            Inline(1, "Container"), Str(2, "targetContainerName"),
        ];
        m["ContainerPort"] =
        [
            Str(1, "name"), I32(2, "hostPort"), I32(3, "containerPort", keep: true), Str(4, "protocol"), Str(5, "hostIP"),
        ];
        m["EnvFromSource"] =
        [
            Str(1, "prefix"), Msg(2, "configMapRef", "ConfigMapEnvSource"), Msg(3, "secretRef", "SecretEnvSource"),
        ];
        m["ConfigMapEnvSource"] =
        [
            Inline(1, "LocalObjectReference"), Bool(2, "optional", keep: true),
        ];
        m["SecretEnvSource"] =
        [
            Inline(1, "LocalObjectReference"), Bool(2, "optional", keep: true),
        ];
        m["EnvVar"] =
        [
            Str(1, "name", keep: true), Str(2, "value"), Msg(3, "valueFrom", "EnvVarSource"),
        ];
        m["EnvVarSource"] =
        [
            Msg(1, "fieldRef", "ObjectFieldSelector"), Msg(2, "resourceFieldRef", "ResourceFieldSelector"),
            Msg(3, "configMapKeyRef", "ConfigMapKeySelector"), Msg(4, "secretKeyRef", "SecretKeySelector"),
            Msg(5, "fileKeyRef", "FileKeySelector"),
        ];
        m["ObjectFieldSelector"] =
        [
            Str(1, "apiVersion"), Str(2, "fieldPath", keep: true),
        ];
        m["ResourceFieldSelector"] =
        [
            Str(1, "containerName"), Str(2, "resource", keep: true), Qty(3, "divisor"),
        ];
        m["ConfigMapKeySelector"] =
        [
            Inline(1, "LocalObjectReference"), Str(2, "key", keep: true), Bool(3, "optional", keep: true),
        ];
        m["SecretKeySelector"] =
        [
            Inline(1, "LocalObjectReference"), Str(2, "key", keep: true), Bool(3, "optional", keep: true),
        ];
        m["FileKeySelector"] =
        [
            Str(1, "volumeName", keep: true), Str(2, "path", keep: true), Str(3, "key", keep: true), Bool(4, "optional", keep: true),
        ];
        m["ResourceRequirements"] =
        [
            MapQty(1, "limits"), MapQty(2, "requests"), Msgs(3, "claims", "ResourceClaim"),
        ];
        m["ResourceClaim"] =
        [
            Str(1, "name", keep: true), Str(2, "request"),
        ];
        m["ContainerResizePolicy"] =
        [
            Str(1, "resourceName", keep: true), Str(2, "restartPolicy", keep: true),
        ];
        m["ContainerRestartRule"] =
        [
            Str(1, "action"), Msg(2, "exitCodes", "ContainerRestartRuleOnExitCodes"),
        ];
        m["ContainerRestartRuleOnExitCodes"] =
        [
            Str(1, "operator"), I32s(2, "values"),
        ];
        m["VolumeMount"] =
        [
            Str(1, "name", keep: true), Bool(2, "readOnly"), Str(7, "recursiveReadOnly", keep: true), Str(3, "mountPath", keep: true),
            Str(4, "subPath"), Str(5, "mountPropagation", keep: true), Str(6, "subPathExpr"), Strs(8, "bindMountOptions"),
        ];
        m["VolumeDevice"] =
        [
            Str(1, "name", keep: true), Str(2, "devicePath", keep: true),
        ];
        m["Probe"] =
        [
            Inline(1, "ProbeHandler"), I32(2, "initialDelaySeconds"), I32(3, "timeoutSeconds"), I32(4, "periodSeconds"),
            I32(5, "successThreshold"), I32(6, "failureThreshold"), I64(7, "terminationGracePeriodSeconds", keep: true),
        ];
        m["ProbeHandler"] =
        [
            Msg(1, "exec", "ExecAction"), Msg(2, "httpGet", "HTTPGetAction"), Msg(3, "tcpSocket", "TCPSocketAction"),
            Msg(4, "grpc", "GRPCAction"),
        ];
        m["Lifecycle"] =
        [
            Msg(1, "postStart", "LifecycleHandler"), Msg(2, "preStop", "LifecycleHandler"), Str(3, "stopSignal", keep: true),
        ];
        m["LifecycleHandler"] =
        [
            Msg(1, "exec", "ExecAction"), Msg(2, "httpGet", "HTTPGetAction"), Msg(3, "tcpSocket", "TCPSocketAction"),
            Msg(4, "sleep", "SleepAction"),
        ];
        m["ExecAction"] =
        [
            Strs(1, "command"),
        ];
        m["HTTPGetAction"] =
        [
            Str(1, "path"), IntOrStr(2, "port"), Str(3, "host"), Str(4, "scheme"), Msgs(5, "httpHeaders", "HTTPHeader"),
            Str(6, "protocol", keep: true),
        ];
        m["HTTPHeader"] =
        [
            Str(1, "name", keep: true), Str(2, "value", keep: true),
        ];
        m["TCPSocketAction"] =
        [
            IntOrStr(1, "port"), Str(2, "host"),
        ];
        m["GRPCAction"] =
        [
            I32(1, "port", keep: true), Str(2, "service", keep: true), Str(3, "mode", keep: true),
        ];
        m["SleepAction"] =
        [
            I64(1, "seconds", keep: true),
        ];
        m["SecurityContext"] =
        [
            Msg(1, "capabilities", "Capabilities"), Bool(2, "privileged", keep: true), Msg(3, "seLinuxOptions", "SELinuxOptions"),
            Msg(10, "windowsOptions", "WindowsSecurityContextOptions"), I64(4, "runAsUser", keep: true), I64(8, "runAsGroup", keep: true),
            Bool(5, "runAsNonRoot", keep: true), Bool(6, "readOnlyRootFilesystem", keep: true),
            Bool(7, "allowPrivilegeEscalation", keep: true), Str(9, "procMount", keep: true), Msg(11, "seccompProfile", "SeccompProfile"),
            Msg(12, "appArmorProfile", "AppArmorProfile"),
        ];
        m["Capabilities"] =
        [
            Strs(1, "add"), Strs(2, "drop"),
        ];
    }
}

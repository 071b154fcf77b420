using System.Collections.Frozen;
using k8s.Models;

namespace Berth.Core.Patching;

internal static partial class StrategicMergeSchema
{
    // The patchStrategy/patchMergeKey struct tags of the stable API groups, copied from kubernetes/kubernetes
    // staging/src/k8s.io/api/{core,apps,batch,autoscaling,policy,networking,storage,flowcontrol,
    // admissionregistration,certificates,resource,storagemigration}/v1*/types.go and
    // staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/types.go (grep `patchStrategy`).
    // Fields without a tag are deliberately absent, e.g. Container.resizePolicy, ContainerStatus lists
    // (containerStatuses), LoadBalancerIngress.ports, NodeStatus.images and EndpointSubset lists: those lists
    // are replaced whole. TopologySpreadConstraint merges on topologyKey alone: whenUnsatisfiable is only a
    // second listMapKey for server-side apply. Alpha and beta versions are not listed.
    private static readonly FrozenDictionary<(Type Type, string JsonName), FieldPatchMeta> _table =
        new Dictionary<(Type Type, string JsonName), FieldPatchMeta>
        {
            // meta/v1
            [(typeof(V1ObjectMeta), "finalizers")] = Primitives(),
            [(typeof(V1ObjectMeta), "ownerReferences")] = Merge("uid"),

            // core/v1: PodSpec and containers
            [(typeof(V1PodSpec), "containers")] = Merge("name"),
            [(typeof(V1PodSpec), "initContainers")] = Merge("name"),
            [(typeof(V1PodSpec), "ephemeralContainers")] = Merge("name"),
            [(typeof(V1PodSpec), "volumes")] = Merge("name", retainKeys: true),
            [(typeof(V1PodSpec), "imagePullSecrets")] = Merge("name"),
            [(typeof(V1PodSpec), "hostAliases")] = Merge("ip"),
            [(typeof(V1PodSpec), "topologySpreadConstraints")] = Merge("topologyKey"),
            [(typeof(V1PodSpec), "schedulingGates")] = Merge("name"),
            [(typeof(V1PodSpec), "resourceClaims")] = Merge("name", retainKeys: true),
            [(typeof(V1Container), "ports")] = Merge("containerPort"),
            [(typeof(V1Container), "env")] = Merge("name"),
            [(typeof(V1Container), "volumeMounts")] = Merge("mountPath"),
            [(typeof(V1Container), "volumeDevices")] = Merge("devicePath"),
            [(typeof(V1EphemeralContainer), "ports")] = Merge("containerPort"),
            [(typeof(V1EphemeralContainer), "env")] = Merge("name"),
            [(typeof(V1EphemeralContainer), "volumeMounts")] = Merge("mountPath"),
            [(typeof(V1EphemeralContainer), "volumeDevices")] = Merge("devicePath"),

            // core/v1: statuses
            [(typeof(V1PodStatus), "conditions")] = Merge("type"),
            [(typeof(V1PodStatus), "podIPs")] = Merge("ip"),
            [(typeof(V1PodStatus), "hostIPs")] = Merge("ip"),
            [(typeof(V1PodStatus), "resourceClaimStatuses")] = Merge("name", retainKeys: true),
            [(typeof(V1ContainerStatus), "volumeMounts")] = Merge("mountPath"),
            [(typeof(V1ContainerStatus), "allocatedResourcesStatus")] = Merge("name"),
            [(typeof(V1NodeStatus), "conditions")] = Merge("type"),
            [(typeof(V1NodeStatus), "addresses")] = Merge("type"),
            [(typeof(V1NamespaceStatus), "conditions")] = Merge("type"),
            [(typeof(V1ServiceStatus), "conditions")] = Merge("type"),
            [(typeof(V1PersistentVolumeClaimStatus), "conditions")] = Merge("type"),
            [(typeof(V1ReplicationControllerStatus), "conditions")] = Merge("type"),
            [(typeof(V1ComponentStatus), "conditions")] = Merge("type"),

            // core/v1: others
            [(typeof(V1ServiceSpec), "ports")] = Merge("port"),
            [(typeof(V1ServiceAccount), "secrets")] = Merge("name"),
            [(typeof(V1NodeSpec), "podCIDRs")] = Primitives(),

            // apps/v1
            [(typeof(V1DeploymentSpec), "strategy")] = RetainKeys(),
            [(typeof(V1DeploymentStatus), "conditions")] = Merge("type"),
            [(typeof(V1ReplicaSetStatus), "conditions")] = Merge("type"),
            [(typeof(V1StatefulSetStatus), "conditions")] = Merge("type"),
            [(typeof(V1DaemonSetStatus), "conditions")] = Merge("type"),

            // batch/v1, autoscaling/v2, policy/v1
            [(typeof(V1JobStatus), "conditions")] = Merge("type"),
            [(typeof(V2HorizontalPodAutoscalerStatus), "conditions")] = Merge("type"),
            [(typeof(V1PodDisruptionBudgetSpec), "selector")] = new(FieldPatchStrategy.Replace, null, false),
            [(typeof(V1PodDisruptionBudgetStatus), "conditions")] = Merge("type"),

            // networking/v1, storage/v1, flowcontrol/v1, storagemigration/v1, certificates/v1, resource/v1
            [(typeof(V1ServiceCIDRStatus), "conditions")] = Merge("type"),
            [(typeof(V1CSINodeSpec), "drivers")] = Merge("name"),
            [(typeof(V1FlowSchemaStatus), "conditions")] = Merge("type"),
            [(typeof(V1PriorityLevelConfigurationStatus), "conditions")] = Merge("type"),
            [(typeof(V1StorageVersionMigrationStatus), "conditions")] = Merge("type"),
            [(typeof(V1ResourceClaimStatus), "reservedFor")] = Merge("uid"),

            // admissionregistration/v1
            [(typeof(V1ValidatingWebhookConfiguration), "webhooks")] = Merge("name"),
            [(typeof(V1MutatingWebhookConfiguration), "webhooks")] = Merge("name"),
            [(typeof(V1ValidatingWebhook), "matchConditions")] = Merge("name"),
            [(typeof(V1MutatingWebhook), "matchConditions")] = Merge("name"),
            [(typeof(V1ValidatingAdmissionPolicySpec), "matchConditions")] = Merge("name"),
            [(typeof(V1ValidatingAdmissionPolicySpec), "variables")] = Merge("name"),
        }.ToFrozenDictionary();

    /// <summary>Every (model type, JSON member) with a patch strategy; for tests.</summary>
    internal static IEnumerable<(Type Type, string JsonName)> TableKeys => _table.Keys;

    private static FieldPatchMeta Merge(string mergeKey, bool retainKeys = false) =>
        new(FieldPatchStrategy.Merge, mergeKey, retainKeys);

    private static FieldPatchMeta Primitives() => new(FieldPatchStrategy.Merge, null, false);

    private static FieldPatchMeta RetainKeys() => new(FieldPatchStrategy.Default, null, true);
}

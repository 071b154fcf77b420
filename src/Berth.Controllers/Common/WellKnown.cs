namespace Berth.Controllers.Common;

/// <summary>Label and annotation keys the controllers read and write (docs/kubernetes-services.md §1.9).</summary>
internal static class WellKnown
{
    public const string ServiceNameLabel = "kubernetes.io/service-name";
    public const string ManagedByLabel = "endpointslice.kubernetes.io/managed-by";
    public const string EndpointSliceControllerName = "endpointslice-controller.k8s.io";
    public const string EndpointSliceMirroringControllerName = "endpointslicemirroring-controller.k8s.io";
    public const string HeadlessLabel = "service.kubernetes.io/headless";
    public const string SkipMirrorLabel = "endpointslice.kubernetes.io/skip-mirror";
    public const string OverCapacityAnnotation = "endpoints.kubernetes.io/over-capacity";
    public const string LastChangeTriggerTimeAnnotation = "endpoints.kubernetes.io/last-change-trigger-time";
    public const string LastAppliedConfigAnnotation = "kubectl.kubernetes.io/last-applied-configuration";
    public const string LeaderElectionAnnotation = "control-plane.alpha.kubernetes.io/leader";
    public const string ZoneLabel = "topology.kubernetes.io/zone";
    public const string PodDeletionCostAnnotation = "controller.kubernetes.io/pod-deletion-cost";
    public const string PodTemplateHashLabel = "pod-template-hash";
    public const string RevisionAnnotation = "deployment.kubernetes.io/revision";
    public const string RevisionHistoryAnnotation = "deployment.kubernetes.io/revision-history";
    public const string DesiredReplicasAnnotation = "deployment.kubernetes.io/desired-replicas";
    public const string MaxReplicasAnnotation = "deployment.kubernetes.io/max-replicas";
    public const string DeprecatedRollbackToAnnotation = "deprecated.deployment.rollback.to";
}

using Berth.Core.Strategies;
using Berth.Core.Tables;
using k8s;
using k8s.Models;

namespace Berth.Core.Resources;

public sealed partial class ResourceRegistry
{
    private const string Rbac = "rbac.authorization.k8s.io";
    private const string Authorization = "authorization.k8s.io";
    private const string Authentication = "authentication.k8s.io";

    /// <summary>
    /// The served kinds, one registration each: group, version, kind, plural, scope, strategy, table printer, protobuf
    /// message, short names, categories, subresources and verbs. <c>KindRegistrationTests</c> (Berth.ApiServer.Tests)
    /// walks every entry and fails when a part is missing or disagrees with another.
    /// </summary>
    private static IEnumerable<ResourceInfo> Kinds() =>
    [
        Make<V1Namespace>("", "v1", "Namespace", "namespaces", false, new NamespaceStrategy(), new NamespaceTablePrinter(), "Namespace", ["ns"], [], ["status", "finalize"]),
        Make<V1Node>("", "v1", "Node", "nodes", false, new NodeStrategy(), new NodeTablePrinter(), null, ["no"], [], ["status", "proxy"]),
        Make<V1Pod>("", "v1", "Pod", "pods", true, new PodStrategy(), new PodTablePrinter(), "Pod", ["po"], ["all"], ["status", "binding", "log", "exec", "attach", "portforward", "proxy"]),
        Make<V1Service>("", "v1", "Service", "services", true, new ServiceStrategy(), new ServiceTablePrinter(), "Service", ["svc"], ["all"], ["status", "proxy"]),
        Make<V1Endpoints>("", "v1", "Endpoints", "endpoints", true, new EndpointsStrategy(), new EndpointsTablePrinter(), null, ["ep"], [], []),
        Make<Corev1Event>("", "v1", "Event", "events", true, new EventStrategy(), new EventTablePrinter(), null, ["ev"], [], []),
        Make<V1ConfigMap>("", "v1", "ConfigMap", "configmaps", true, new ConfigMapStrategy(), new ConfigMapTablePrinter(), "ConfigMap", ["cm"], [], []),
        Make<V1Deployment>("apps", "v1", "Deployment", "deployments", true, new DeploymentStrategy(), new DeploymentTablePrinter(), "Deployment", ["deploy"], ["all"], ["status", "scale"]),
        Make<V1ReplicaSet>("apps", "v1", "ReplicaSet", "replicasets", true, new ReplicaSetStrategy(), new ReplicaSetTablePrinter(), "ReplicaSet", ["rs"], ["all"], ["status", "scale"]),
        Make<V1EndpointSlice>("discovery.k8s.io", "v1", "EndpointSlice", "endpointslices", true, new EndpointSliceStrategy(), new EndpointSliceTablePrinter(), null, [], [], []),
        Make<V1Lease>("coordination.k8s.io", "v1", "Lease", "leases", true, new LeaseStrategy(), new LeaseTablePrinter(), "Lease", [], [], []),
        Make<V1Role>(Rbac, "v1", "Role", "roles", true, new RoleStrategy(), new CreatedAtTablePrinter(), "Role", [], [], []),
        Make<V1ClusterRole>(Rbac, "v1", "ClusterRole", "clusterroles", false, new ClusterRoleStrategy(), new CreatedAtTablePrinter(), "ClusterRole", [], [], []),
        Make<V1RoleBinding>(Rbac, "v1", "RoleBinding", "rolebindings", true, new RoleBindingStrategy(), RoleBindingTablePrinter.RoleBindings, "RoleBinding", [], [], []),
        Make<V1ClusterRoleBinding>(Rbac, "v1", "ClusterRoleBinding", "clusterrolebindings", false, new ClusterRoleBindingStrategy(), RoleBindingTablePrinter.ClusterRoleBindings, "ClusterRoleBinding", [], [], []),
        Make<V1SelfSubjectAccessReview>(Authorization, "v1", "SelfSubjectAccessReview", "selfsubjectaccessreviews", false, new SelfSubjectAccessReviewStrategy(), new CreatedAtTablePrinter(), "SelfSubjectAccessReview", [], [], [], ResourceInfo.CreateOnlyVerbs),
        Make<V1SelfSubjectRulesReview>(Authorization, "v1", "SelfSubjectRulesReview", "selfsubjectrulesreviews", false, new SelfSubjectRulesReviewStrategy(), new CreatedAtTablePrinter(), "SelfSubjectRulesReview", [], [], [], ResourceInfo.CreateOnlyVerbs),
        Make<V1SubjectAccessReview>(Authorization, "v1", "SubjectAccessReview", "subjectaccessreviews", false, new SubjectAccessReviewStrategy(), new CreatedAtTablePrinter(), "SubjectAccessReview", [], [], [], ResourceInfo.CreateOnlyVerbs),
        Make<V1LocalSubjectAccessReview>(Authorization, "v1", "LocalSubjectAccessReview", "localsubjectaccessreviews", true, new LocalSubjectAccessReviewStrategy(), new CreatedAtTablePrinter(), "LocalSubjectAccessReview", [], [], [], ResourceInfo.CreateOnlyVerbs),
        Make<V1SelfSubjectReview>(Authentication, "v1", "SelfSubjectReview", "selfsubjectreviews", false, new SelfSubjectReviewStrategy(), new CreatedAtTablePrinter(), "SelfSubjectReview", [], [], [], ResourceInfo.CreateOnlyVerbs),
        Make<V1Secret>("", "v1", "Secret", "secrets", true, new SecretStrategy(), new SecretTablePrinter(), "Secret", [], [], []),
        Make<V1StatefulSet>("apps", "v1", "StatefulSet", "statefulsets", true, new StatefulSetStrategy(), new StatefulSetTablePrinter(), null, ["sts"], ["all"], ["status", "scale"]),
        Make<V1ControllerRevision>("apps", "v1", "ControllerRevision", "controllerrevisions", true, new ControllerRevisionStrategy(), new ControllerRevisionTablePrinter(), null, [], [], []),
        Make<V1ReplicationController>("", "v1", "ReplicationController", "replicationcontrollers", true, new ReplicationControllerStrategy(), new ReplicationControllerTablePrinter(), null, ["rc"], ["all"], ["status", "scale"]),
        Make<V1ServiceAccount>("", "v1", "ServiceAccount", "serviceaccounts", true, new ServiceAccountStrategy(), new ServiceAccountTablePrinter(), "ServiceAccount", ["sa"], [], ["token"]),
        Make<V1Job>("batch", "v1", "Job", "jobs", true, new JobStrategy(), new JobTablePrinter(), "Job", [], ["all"], ["status"]),
        Make<V1CronJob>("batch", "v1", "CronJob", "cronjobs", true, new CronJobStrategy(), new CronJobTablePrinter(), "CronJob", ["cj"], ["all"], ["status"]),
        Make<V2HorizontalPodAutoscaler>("autoscaling", "v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers", true, new HorizontalPodAutoscalerStrategy(), new HorizontalPodAutoscalerTablePrinter(), null, ["hpa"], ["all"], ["status"]),
    ];

    private static ResourceInfo Make<T>(
        string group,
        string version,
        string kind,
        string plural,
        bool namespaced,
        IResourceStrategy strategy,
        ITablePrinter printer,
        string? protobufMessage,
        string[] shortNames,
        string[] categories,
        string[] subresources,
        IReadOnlyList<string>? verbs = null)
        where T : class, IKubernetesObject<V1ObjectMeta> => new()
        {
            Group = group,
            Version = version,
            Kind = kind,
            Plural = plural,
            Singular = kind.ToLowerInvariant(),
            Namespaced = namespaced,
            ModelType = typeof(T),
            Strategy = strategy,
            Printer = printer,
            ProtobufMessage = protobufMessage,
            ShortNames = shortNames,
            Categories = categories,
            Subresources = subresources,
            Verbs = verbs ?? ResourceInfo.StoredVerbs,
            Decode = static node => KubernetesJson.Deserialize<T>(node.ToJsonString()),
        };
}

using k8s;
using k8s.Models;

namespace Berth.Controllers.ReplicaSets;

/// <summary>
/// ReplicationController ⇄ ReplicaSet, as upstream's <c>pkg/controller/replication/conversion.go</c>: the selector map
/// becomes <c>matchLabels</c>; replicas, minReadySeconds, template and status carry over. The view keeps the
/// ReplicationController's metadata (same name, namespace and UID) and says <c>v1</c>/<c>ReplicationController</c>, so
/// events and owner references name the real object. Reads never mutate the cached object.
/// </summary>
internal static class ReplicationControllerConversion
{
    public static V1ReplicaSet ToReplicaSet(V1ReplicationController rc)
    {
        ArgumentNullException.ThrowIfNull(rc);
        return new V1ReplicaSet
        {
            ApiVersion = "v1",
            Kind = "ReplicationController",
            Metadata = rc.Metadata,
            Spec = new V1ReplicaSetSpec
            {
                Replicas = rc.Spec?.Replicas,
                MinReadySeconds = rc.Spec?.MinReadySeconds,
                Selector = new V1LabelSelector { MatchLabels = rc.Spec?.Selector is { } selector ? new Dictionary<string, string>(selector) : null },
                Template = rc.Spec?.Template,
            },
            Status = Convert<V1ReplicaSetStatus>(rc.Status),
        };
    }

    /// <summary>The ReplicationController a view stands for, with the view's status (for the status write).</summary>
    public static V1ReplicationController ToReplicationController(V1ReplicaSet view)
    {
        ArgumentNullException.ThrowIfNull(view);
        return new V1ReplicationController
        {
            ApiVersion = "v1",
            Kind = "ReplicationController",
            Metadata = view.Metadata,
            Spec = new V1ReplicationControllerSpec
            {
                Replicas = view.Spec?.Replicas,
                MinReadySeconds = view.Spec?.MinReadySeconds,
                Selector = view.Spec?.Selector?.MatchLabels is { } labels ? new Dictionary<string, string>(labels) : null,
                Template = view.Spec?.Template,
            },
            Status = Convert<V1ReplicationControllerStatus>(view.Status),
        };
    }

    /// <summary>The two status types have the same fields and JSON names (conditions included): convert through JSON.</summary>
    private static T? Convert<T>(object? status)
        where T : class =>
        status is null ? null : KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(status));
}

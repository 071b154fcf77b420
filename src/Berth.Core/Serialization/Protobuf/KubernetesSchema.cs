namespace Berth.Core.Serialization.Protobuf;

/// <summary>
/// The schema table for the kinds kubectl's generators and common manifests send as protobuf. Written by hand from
/// Kubernetes' generated.proto files, with Go's JSON rules (field names, <c>omitempty</c>, pointers, inline
/// embedding) taken from the matching types.go. Fields not listed are skipped when decoding.
/// </summary>
internal static partial class KubernetesSchema
{
    public static ProtobufSchema Instance { get; } = Build();

    private static ProtobufSchema Build()
    {
        var m = new Dictionary<string, ProtoField[]>(StringComparer.Ordinal);
        AddMeta(m);
        AddCore(m);
        AddPod(m);
        AddContainers(m);
        AddVolumes(m);
        AddApps(m);
        AddCoordination(m);

        var roots = new Dictionary<(string ApiVersion, string Kind), string>
        {
            [("v1", "Namespace")] = "Namespace",
            [("v1", "ConfigMap")] = "ConfigMap",
            [("v1", "Secret")] = "Secret",
            [("v1", "Service")] = "Service",
            [("v1", "Pod")] = "Pod",
            [("apps/v1", "Deployment")] = "Deployment",
            [("apps/v1", "ReplicaSet")] = "ReplicaSet",
            [("coordination.k8s.io/v1", "Lease")] = "Lease",
        };
        return new ProtobufSchema(m, roots);
    }
}

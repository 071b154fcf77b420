using Berth.Core.Resources;

namespace Berth.Core.Serialization.Protobuf;

/// <summary>
/// The schema table for the kinds kubectl's generators and common manifests send as protobuf. Written by hand from
/// Kubernetes' generated.proto files, with Go's JSON rules (field names, <c>omitempty</c>, pointers, inline
/// embedding) taken from the matching types.go. Fields not listed are skipped when decoding. The root message of
/// each kind comes from its registration (<see cref="ResourceInfo.ProtobufMessage"/>).
/// </summary>
internal static partial class KubernetesSchema
{
    public static ProtobufSchema Instance { get; } = Build(ResourceRegistry.Default.All
        .Where(r => r.ProtobufMessage is not null)
        .Select(r => (r.ApiVersion, r.Kind, r.ProtobufMessage!))
        .Concat(SubresourceRoots));

    /// <summary>Bodies of subresources that kubectl sends as protobuf and that are no served kind of their own.</summary>
    private static IEnumerable<(string ApiVersion, string Kind, string Message)> SubresourceRoots =>
    [
        ("authentication.k8s.io/v1", "TokenRequest", "TokenRequest"), // kubectl create token
    ];

    /// <summary>The table with <paramref name="roots"/>: (apiVersion, kind) → message.</summary>
    public static ProtobufSchema Build(IEnumerable<(string ApiVersion, string Kind, string Message)> roots)
    {
        var m = new Dictionary<string, ProtoField[]>(StringComparer.Ordinal);
        AddMeta(m);
        AddCore(m);
        AddPod(m);
        AddContainers(m);
        AddVolumes(m);
        AddApps(m);
        AddCoordination(m);
        AddRbac(m);
        AddAuthorization(m);
        AddServiceAccounts(m);
        AddBatch(m);
        AddAutoscaling(m);

        return new ProtobufSchema(m, roots.ToDictionary(r => (r.ApiVersion, r.Kind), r => r.Message));
    }
}

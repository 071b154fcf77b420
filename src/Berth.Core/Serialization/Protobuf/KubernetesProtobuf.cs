using System.Text.Json.Nodes;

namespace Berth.Core.Serialization.Protobuf;

/// <summary>
/// Decodes request bodies in the Kubernetes protobuf encoding (<c>application/vnd.kubernetes.protobuf</c>), which
/// kubectl's generators (<c>kubectl create configmap|deployment|service|namespace</c>, <c>kubectl run</c>) send, into
/// the JSON object Kubernetes would have written for the same object.
/// </summary>
public static class KubernetesProtobuf
{
    public const string MediaType = "application/vnd.kubernetes.protobuf";

    /// <summary>The four bytes every Kubernetes protobuf object starts with: <c>k8s\0</c>.</summary>
    internal static ReadOnlySpan<byte> Magic => "k8s\0"u8;

    /// <summary>Decodes one object, including its <c>apiVersion</c> and <c>kind</c>.</summary>
    /// <exception cref="ProtobufDecodeException">The body is malformed or its kind has no schema.</exception>
    /// <exception cref="Errors.StatusException">The body decodes to more values than <paramref name="limits"/> allow (413).</exception>
    public static JsonObject Decode(ReadOnlySpan<byte> body, DecodeLimits? limits = null) =>
        new ProtobufDecoder(KubernetesSchema.Instance, limits).DecodeObject(body);
}

using System.Text.Json.Nodes;
using Berth.Core.Tables;
using k8s;
using k8s.Models;

namespace Berth.Core.Resources;

/// <summary>
/// One REST resource the API server serves: its group/version/kind, names and model type, and every part the server
/// needs for it — the strategy (prepare, default, validate), the table printer for <c>kubectl get</c>, the protobuf
/// message kubectl's generators send, the verbs it serves. A kind is this one registration
/// (<see cref="ResourceRegistry.Default"/>); discovery, OpenAPI, tables and protobuf decoding all read it from here.
/// </summary>
public sealed record ResourceInfo
{
    /// <summary>The verbs of a stored resource (<c>kubectl api-resources -o wide</c>).</summary>
    public static readonly IReadOnlyList<string> StoredVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

    /// <summary>The verb of a review (SelfSubjectAccessReview, …): created, answered, never stored.</summary>
    public static readonly IReadOnlyList<string> CreateOnlyVerbs = ["create"];

    public required string Group { get; init; }

    public required string Version { get; init; }

    public required string Kind { get; init; }

    /// <summary>The plural, lower-case resource name in URLs (<c>services</c>).</summary>
    public required string Plural { get; init; }

    public required string Singular { get; init; }

    public required bool Namespaced { get; init; }

    public required Type ModelType { get; init; }

    public required IResourceStrategy Strategy { get; init; }

    public IReadOnlyList<string> ShortNames { get; init; } = [];

    public IReadOnlyList<string> Categories { get; init; } = [];

    /// <summary>Subresources served for this resource (<c>status</c>, <c>scale</c>, <c>binding</c>, …).</summary>
    public IReadOnlyList<string> Subresources { get; init; } = [];

    /// <summary>
    /// The verbs served on the resource itself: <see cref="StoredVerbs"/>, or <see cref="CreateOnlyVerbs"/> for a
    /// review that is answered and never stored (the API server then needs a handler for it).
    /// </summary>
    public IReadOnlyList<string> Verbs { get; init; } = StoredVerbs;

    /// <summary>False for a create-only review: nothing of it is in the store, and it has no collection to list or delete.</summary>
    public bool IsStored => Verbs.Contains("list");

    /// <summary>
    /// The columns and cells of <c>kubectl get</c>: a port of the kind's Kubernetes print handler, or
    /// <see cref="DefaultTablePrinter"/> (Name, Age) for a kind Kubernetes prints with its default convertor.
    /// </summary>
    internal ITablePrinter Printer { get; init; } = DefaultTablePrinter.Instance;

    /// <summary>
    /// The message of this kind in the protobuf schema (<see cref="Serialization.Protobuf"/>), for kinds kubectl's
    /// typed clients send as <c>application/vnd.kubernetes.protobuf</c>; null when no client sends it so.
    /// </summary>
    public string? ProtobufMessage { get; init; }

    /// <summary>
    /// Set when this registration serves the objects of another one in a second version (autoscaling/v1
    /// HorizontalPodAutoscaler: those of autoscaling/v2; events.k8s.io/v1 Event: core Events), as kube-apiserver serves
    /// every version of a kind from one storage version: keys are the stored registration's, and
    /// <see cref="Converter"/> converts on the way in and out. Null for a kind stored in its own version.
    /// </summary>
    public ResourceInfo? StoredAs { get; init; }

    /// <summary>Converts between this registration's version and <see cref="StoredAs"/>'s; set exactly when it is.</summary>
    public IVersionConverter? Converter { get; init; }

    /// <summary>The registration whose keys and stored form this one uses: itself, or <see cref="StoredAs"/>.</summary>
    public ResourceInfo Storage => StoredAs ?? this;

    /// <summary>Decodes a JSON object of this kind into its model.</summary>
    public required Func<JsonNode, IKubernetesObject<V1ObjectMeta>> Decode { get; init; }

    /// <summary>
    /// Decodes a request body (after a patch, too) into the model: nulls where Go decodes zero values are given them
    /// first (<see cref="Serialization.ZeroValues"/>, in place). Throws what <see cref="Decode"/> throws for a body of
    /// the wrong shape (<c>JsonException</c>, <c>FormatException</c>).
    /// </summary>
    public IKubernetesObject<V1ObjectMeta> DecodeBody(JsonObject body)
    {
        Serialization.ZeroValues.Fill(body, ModelType);
        return Decode(body);
    }

    public string ApiVersion => Group.Length == 0 ? Version : Group + "/" + Version;

    public string ListKind => Kind + "List";

    /// <summary>The URL prefix of this group version: <c>/api/v1</c> or <c>/apis/apps/v1</c>.</summary>
    public string GroupVersionPath => Group.Length == 0 ? "/api/" + Version : "/apis/" + Group + "/" + Version;

    public bool HasSubresource(string name) => Subresources.Contains(name);
}

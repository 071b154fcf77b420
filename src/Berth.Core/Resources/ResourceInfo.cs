using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Berth.Core.Resources;

/// <summary>One REST resource the API server serves: its group/version/kind, names and model type.</summary>
public sealed record ResourceInfo
{
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

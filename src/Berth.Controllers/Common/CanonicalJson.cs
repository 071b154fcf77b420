using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;

namespace Berth.Controllers.Common;

/// <summary>
/// A canonical JSON rendering of a model: object keys sorted ordinally, nulls and empty objects/arrays
/// dropped. Two objects are semantically equal (as apimachinery's <c>equality.Semantic.DeepEqual</c>
/// treats nil and empty alike) when their canonical renderings are equal, regardless of map insertion order.
/// </summary>
internal static class CanonicalJson
{
    public static string Render(object value)
    {
        var node = JsonNode.Parse(KubernetesJson.Serialize(value));
        var canonical = Canonicalize(node);
        return canonical?.ToJsonString() ?? "null";
    }

    private static JsonNode? Canonicalize(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                var sorted = new JsonObject();
                foreach (var (key, child) in obj.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                {
                    var value = Canonicalize(child);
                    if (value is not null)
                    {
                        sorted[key] = value;
                    }
                }

                return sorted.Count == 0 ? null : sorted;
            case JsonArray array:
                var items = new JsonArray();
                foreach (var child in array)
                {
                    items.Add(Canonicalize(child));
                }

                return items.Count == 0 ? null : items;
            case JsonValue value:
                return value.GetValueKind() == JsonValueKind.Null ? null : value.DeepClone();
            default:
                return null;
        }
    }
}

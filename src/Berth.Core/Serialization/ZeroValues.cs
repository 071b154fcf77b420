using System.Text.Json.Nodes;

namespace Berth.Core.Serialization;

/// <summary>
/// JSON <c>null</c> where Go decodes a zero value: an item of a list (<c>"ports": [null]</c>) or a value of a map
/// (<c>"labels": {"a": null}</c>) becomes the item's zero value (<c>{}</c>, <c>""</c>, <c>0</c>, <c>false</c>), as
/// encoding/json gives kube-apiserver, before the body is decoded into a model — so that no strategy meets a null item
/// (found by fuzzing: a NullReferenceException, that is a 500). A null member of an object stays: it means "not set".
/// </summary>
public static class ZeroValues
{
    /// <summary>Replaces, in place, the nulls of <paramref name="node"/> read as <paramref name="modelType"/>.</summary>
    public static void Fill(JsonNode? node, Type modelType)
    {
        ArgumentNullException.ThrowIfNull(modelType);
        var pending = new Stack<(JsonNode Node, Type Type)>();
        if (node is not null)
        {
            pending.Push((node, modelType));
        }

        while (pending.TryPop(out var current))
        {
            var type = Nullable.GetUnderlyingType(current.Type) ?? current.Type;
            if (current.Node is JsonArray array && ModelSchema.ElementType(type) is { } element)
            {
                for (var i = 0; i < array.Count; i++)
                {
                    Visit(array[i], element, zero => array[i] = zero, pending);
                }
            }
            else if (current.Node is JsonObject obj && ModelSchema.DictionaryValueType(type) is { } value)
            {
                foreach (var key in obj.Select(m => m.Key).ToList())
                {
                    Visit(obj[key], value, zero => obj[key] = zero, pending);
                }
            }
            else if (current.Node is JsonObject members && ModelSchema.Members(type) is { } schema)
            {
                foreach (var (key, child) in members)
                {
                    if (child is not null && schema.TryGetValue(key, out var childType))
                    {
                        pending.Push((child, childType));
                    }
                }
            }
        }
    }

    private static void Visit(JsonNode? child, Type type, Action<JsonNode?> replace, Stack<(JsonNode, Type)> pending)
    {
        if (child is not null)
        {
            pending.Push((child, type));
        }
        else if (Zero(Nullable.GetUnderlyingType(type) ?? type) is { } zero)
        {
            replace(zero);
        }
    }

    /// <summary>Go's zero value of the type on the wire; null where it has none we can name (free-form values).</summary>
    private static JsonNode? Zero(Type type) => type switch
    {
        _ when type == typeof(string) => JsonValue.Create(""),
        _ when type == typeof(bool) => JsonValue.Create(false),
        _ when type == typeof(int) || type == typeof(long) || type == typeof(double) || type == typeof(float) => JsonValue.Create(0),
        _ when type.Name == "IntOrString" || type.Name == "IntstrIntOrString" => JsonValue.Create(0),
        _ when type.Name == "ResourceQuantity" => JsonValue.Create("0"),
        _ when ModelSchema.Members(type) is not null => new JsonObject(),
        _ when ModelSchema.ElementType(type) is not null => new JsonArray(),
        _ when ModelSchema.DictionaryValueType(type) is not null => new JsonObject(),
        _ => null,
    };
}

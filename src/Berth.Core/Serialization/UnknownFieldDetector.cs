using System.Text.Json.Nodes;

namespace Berth.Core.Serialization;

/// <summary>
/// Finds the fields of a JSON object that its model type does not know, for <c>fieldValidation=Strict|Warn</c>.
/// Paths are rendered as Kubernetes' strict decoder does: <c>spec.foo</c>, <c>spec.ports[0].bar</c>.
/// </summary>
public static class UnknownFieldDetector
{
    public static IReadOnlyList<string> Find(JsonNode? node, Type modelType)
    {
        var found = new List<string>();
        Walk(node, modelType, "", found);
        return found;
    }

    private static void Walk(JsonNode? node, Type type, string path, List<string> found)
    {
        if (node is null)
        {
            return;
        }

        type = Nullable.GetUnderlyingType(type) ?? type;
        if (node is JsonArray array)
        {
            var element = ModelSchema.ElementType(type);
            if (element is null)
            {
                return;
            }

            for (var i = 0; i < array.Count; i++)
            {
                Walk(array[i], element, path + "[" + i + "]", found);
            }

            return;
        }

        if (node is not JsonObject obj)
        {
            return;
        }

        var valueType = ModelSchema.DictionaryValueType(type);
        if (valueType is not null)
        {
            foreach (var (key, child) in obj)
            {
                Walk(child, valueType, Join(path, key), found);
            }

            return;
        }

        var schema = ModelSchema.Members(type);
        if (schema is null)
        {
            return;
        }

        foreach (var (key, child) in obj)
        {
            if (schema.TryGetValue(key, out var childType))
            {
                Walk(child, childType, Join(path, key), found);
            }
            else
            {
                found.Add(Join(path, key));
            }
        }
    }

    private static string Join(string path, string key) => path.Length == 0 ? key : path + "." + key;
}

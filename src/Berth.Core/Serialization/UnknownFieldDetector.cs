using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Berth.Core.Serialization;

/// <summary>
/// Finds the fields of a JSON object that its model type does not know, for <c>fieldValidation=Strict|Warn</c>.
/// Paths are rendered as Kubernetes' strict decoder does: <c>spec.foo</c>, <c>spec.ports[0].bar</c>.
/// </summary>
public static class UnknownFieldDetector
{
    private static readonly ConcurrentDictionary<Type, IReadOnlyDictionary<string, Type>?> _schemas = new();

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
            var element = ElementType(type);
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

        var valueType = DictionaryValueType(type);
        if (valueType is not null)
        {
            foreach (var (key, child) in obj)
            {
                Walk(child, valueType, Join(path, key), found);
            }

            return;
        }

        var schema = _schemas.GetOrAdd(type, BuildSchema);
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

    private static IReadOnlyDictionary<string, Type>? BuildSchema(Type type)
    {
        // Only KubernetesClient models have a schema; anything else (object, JsonElement, converters' types) is free-form.
        if (type.Namespace != "k8s.Models" || !type.IsClass)
        {
            return null;
        }

        var props = new Dictionary<string, Type>(StringComparer.Ordinal);
        foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var name = p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name;
            if (name is not null)
            {
                props[name] = p.PropertyType;
            }
        }

        // IntOrString, ResourceQuantity and friends are scalars on the wire.
        return props.Count == 0 ? null : props;
    }

    private static Type? ElementType(Type type)
    {
        if (type.IsArray)
        {
            return type.GetElementType();
        }

        var list = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IList<>)
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IList<>));
        return list?.GetGenericArguments()[0];
    }

    private static Type? DictionaryValueType(Type type)
    {
        var dict = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IDictionary<,>)
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>));
        return dict?.GetGenericArguments()[1];
    }
}

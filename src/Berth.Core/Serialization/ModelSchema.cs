using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json.Serialization;

namespace Berth.Core.Serialization;

/// <summary>The shape of the KubernetesClient models as their JSON sees it: members by JSON name, list and map types.</summary>
internal static class ModelSchema
{
    private static readonly ConcurrentDictionary<Type, IReadOnlyDictionary<string, Type>?> _members = new();

    /// <summary>The JSON members of a model type, or null for what is not a model (object, scalars on the wire).</summary>
    public static IReadOnlyDictionary<string, Type>? Members(Type type) => _members.GetOrAdd(type, Build);

    /// <summary>The item type of an array or <c>IList&lt;T&gt;</c>, else null.</summary>
    public static Type? ElementType(Type type)
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

    /// <summary>The value type of an <c>IDictionary&lt;K, V&gt;</c>, else null.</summary>
    public static Type? DictionaryValueType(Type type)
    {
        var dict = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IDictionary<,>)
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>));
        return dict?.GetGenericArguments()[1];
    }

    private static IReadOnlyDictionary<string, Type>? Build(Type type)
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
}

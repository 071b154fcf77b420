using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json.Serialization;

namespace Berth.Core.Patching;

/// <summary>
/// Walks the KubernetesClient model types alongside the JSON: the type at a JSON position is a model class
/// (members by <c>[JsonPropertyName]</c>), an <c>IDictionary&lt;string, T&gt;</c>, an <c>IList&lt;T&gt;</c>, or
/// <c>null</c> when unknown (untyped parts merge as plain maps and replaced lists).
/// </summary>
internal static partial class StrategicMergeSchema
{
    private static readonly ConcurrentDictionary<Type, IReadOnlyDictionary<string, Type>> _members = new();

    /// <summary>The patch strategy of member <paramref name="jsonName"/> of <paramref name="type"/>.</summary>
    public static FieldPatchMeta Lookup(Type? type, string jsonName) =>
        type is not null && _table.TryGetValue((type, jsonName), out var meta) ? meta : FieldPatchMeta.None;

    /// <summary>The type of the value at key <paramref name="jsonName"/> of a JSON object of type <paramref name="type"/>.</summary>
    public static Type? MemberType(Type? type, string jsonName)
    {
        if (type is null)
        {
            return null;
        }

        if (DictionaryValueType(type) is { } valueType)
        {
            return Unwrap(valueType);
        }

        return Members(type).TryGetValue(jsonName, out var memberType) ? memberType : null;
    }

    /// <summary>The item type of a list type, or null.</summary>
    public static Type? ElementType(Type? type)
    {
        if (type is null || type == typeof(string))
        {
            return null;
        }

        if (type.IsArray)
        {
            return Unwrap(type.GetElementType()!);
        }

        var enumerable = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IEnumerable<>)
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>));
        return enumerable is null ? null : Unwrap(enumerable.GetGenericArguments()[0]);
    }

    private static Type? DictionaryValueType(Type type)
    {
        var dictionary = IsStringDictionary(type)
            ? type
            : type.GetInterfaces().FirstOrDefault(IsStringDictionary);
        return dictionary?.GetGenericArguments()[1];

        static bool IsStringDictionary(Type t) =>
            t.IsGenericType
            && (t.GetGenericTypeDefinition() == typeof(IDictionary<,>) || t.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>))
            && t.GetGenericArguments()[0] == typeof(string);
    }

    private static IReadOnlyDictionary<string, Type> Members(Type type) =>
        _members.GetOrAdd(type, static t =>
        {
            var members = new Dictionary<string, Type>(StringComparer.Ordinal);
            foreach (var property in t.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (property.GetCustomAttribute<JsonPropertyNameAttribute>() is { } name)
                {
                    members[name.Name] = Unwrap(property.PropertyType);
                }
            }

            return members;
        });

    private static Type Unwrap(Type type) => Nullable.GetUnderlyingType(type) ?? type;
}

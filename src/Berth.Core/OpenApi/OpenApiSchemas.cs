using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Berth.Core.Patching;
using Berth.Core.Resources;
using Berth.Core.Serialization;
using k8s.Models;

namespace Berth.Core.OpenApi;

/// <summary>
/// The OpenAPI v3 <c>components.schemas</c> of served kinds, generated from the KubernetesClient models by reflection:
/// a schema per model class named as Kubernetes names it (<see cref="SchemaNames"/>), properties by
/// <c>[JsonPropertyName]</c> with their types, Kubernetes' descriptions (<see cref="ModelDescriptions"/>), the
/// strategic-merge extensions of <c>StrategicMergeSchema</c>, and <c>x-kubernetes-group-version-kind</c> on every kind.
/// The shapes follow kube-openapi's v3 output: a reference with siblings is wrapped in <c>allOf</c>.
/// </summary>
public static class OpenApiSchemas
{
    private const string RefPrefix = "#/components/schemas/";

    private static readonly ConcurrentDictionary<Type, JsonObject> _byType = new();

    /// <summary>The schema name of a model type (<c>io.k8s.api.core.v1.Service</c>).</summary>
    public static string NameOf(Type model) => SchemaNames.Of(model);

    /// <summary>
    /// The schemas of <paramref name="resources"/>, their list kinds and every type their fields reach, by name and
    /// sorted by it. Each call returns new nodes, free to be put in a document.
    /// </summary>
    public static JsonObject For(IEnumerable<ResourceInfo> resources)
    {
        ArgumentNullException.ThrowIfNull(resources);
        var types = new HashSet<Type>();
        foreach (var r in resources)
        {
            Collect(r.ModelType, types);
            if (r.ModelType.Assembly.GetType(r.ModelType.FullName + "List") is { } list)
            {
                Collect(list, types);
            }
        }

        var schemas = new JsonObject();
        foreach (var type in types.OrderBy(SchemaNames.Of, StringComparer.Ordinal))
        {
            schemas[SchemaNames.Of(type)] = _byType.GetOrAdd(type, Build).DeepClone();
        }

        return schemas;
    }

    private static void Collect(Type model, HashSet<Type> types)
    {
        if (!types.Add(model))
        {
            return;
        }

        foreach (var member in ModelSchema.Members(model)?.Values ?? [])
        {
            if (SchemaNames.ModelType(member) is { } next)
            {
                Collect(next, types);
            }
        }
    }

    private static JsonObject Build(Type model)
    {
        var schema = new JsonObject();
        if (ModelDescriptions.Of(model) is { } description)
        {
            schema["description"] = description;
        }

        if (model == typeof(IntOrString))
        {
            // kube-openapi's v3 IntOrString and Quantity (OpenAPIV3OneOfTypes): kubectl explain prints their names.
            schema["format"] = "int-or-string";
            schema["oneOf"] = new JsonArray(Type("integer"), Type("string"));
            return schema;
        }

        if (model == typeof(ResourceQuantity))
        {
            schema["oneOf"] = new JsonArray(Type("string"), Type("number"));
            return schema;
        }

        var properties = new JsonObject();
        var required = new JsonArray();
        var members = model.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => (Property: p, Name: p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name))
            .Where(m => m.Name is not null)
            .OrderBy(m => m.Name, StringComparer.Ordinal);
        foreach (var (property, name) in members)
        {
            properties[name!] = Property(model, property, name!);

            // The generator makes optional scalars nullable (int?) and leaves required ones plain (int); reference
            // types carry no such mark, so a required string or object is not listed.
            if (property.PropertyType.IsValueType && Nullable.GetUnderlyingType(property.PropertyType) is null)
            {
                required.Add(name!);
            }
        }

        schema["properties"] = properties;
        if (required.Count > 0)
        {
            schema["required"] = required;
        }

        schema["type"] = "object";
        if (model.GetCustomAttribute<KubernetesEntityAttribute>() is { } entity && !SchemaNames.Of(model).StartsWith("io.k8s.apimachinery.", StringComparison.Ordinal))
        {
            schema["x-kubernetes-group-version-kind"] = new JsonArray(new JsonObject { ["group"] = entity.Group, ["kind"] = entity.Kind, ["version"] = entity.ApiVersion });
        }

        return schema;
    }

    private static JsonObject Property(Type model, PropertyInfo property, string name)
    {
        var schema = Value(property.PropertyType);
        if (schema.ContainsKey("$ref"))
        {
            // OpenAPI 3.0 ignores the siblings of a $ref: kube-openapi wraps it to give the field its own description.
            schema = new JsonObject { ["allOf"] = new JsonArray(schema) };
        }

        if (ModelDescriptions.Of(property) is { } description)
        {
            schema["description"] = description;
        }

        var patch = StrategicMergeSchema.Lookup(model, name);
        if (patch.MergeKey is { } mergeKey)
        {
            schema["x-kubernetes-patch-merge-key"] = mergeKey;
        }

        if (PatchStrategy(patch) is { } strategy)
        {
            schema["x-kubernetes-patch-strategy"] = strategy;
        }

        return schema;
    }

    /// <summary>The schema of a value: a scalar, an array, a map, or a reference to a model's schema.</summary>
    private static JsonObject Value(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
        {
            return Type("string");
        }

        if (type == typeof(bool))
        {
            return Type("boolean");
        }

        if (type == typeof(int))
        {
            return Type("integer", "int32");
        }

        if (type == typeof(long))
        {
            return Type("integer", "int64");
        }

        if (type == typeof(double) || type == typeof(float))
        {
            return Type("number", "double");
        }

        if (type == typeof(DateTime) || type == typeof(DateTimeOffset))
        {
            // meta/v1 Time and MicroTime, which the client makes one DateTime; both are this on the wire.
            return Type("string", "date-time");
        }

        if (type == typeof(byte[]))
        {
            return Type("string", "byte");
        }

        if (ModelSchema.DictionaryValueType(type) is { } value)
        {
            return new JsonObject { ["additionalProperties"] = Item(value), ["type"] = "object" };
        }

        if (ModelSchema.ElementType(type) is { } item)
        {
            return new JsonObject { ["items"] = Item(item), ["type"] = "array" };
        }

        if (SchemaNames.ModelType(type) is { } model)
        {
            return new JsonObject { ["$ref"] = RefPrefix + SchemaNames.Of(model) };
        }

        // object (FieldsV1, RawExtension): any JSON object.
        return Type("object");
    }

    private static JsonObject Item(Type type)
    {
        var schema = Value(type);
        return schema.ContainsKey("$ref") ? new JsonObject { ["allOf"] = new JsonArray(schema) } : schema;
    }

    private static string? PatchStrategy(FieldPatchMeta patch)
    {
        var parts = new List<string>(2);
        if (patch.Strategy == FieldPatchStrategy.Merge)
        {
            parts.Add("merge");
        }
        else if (patch.Strategy == FieldPatchStrategy.Replace)
        {
            parts.Add("replace");
        }

        if (patch.RetainKeys)
        {
            parts.Add("retainKeys");
        }

        return parts.Count == 0 ? null : string.Join(',', parts);
    }

    private static JsonObject Type(string type, string? format = null) =>
        format is null ? new JsonObject { ["type"] = type } : new JsonObject { ["format"] = format, ["type"] = type };
}

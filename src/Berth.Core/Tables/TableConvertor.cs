using System.Text.Json.Nodes;
using Berth.Core.Resources;
using k8s;
using k8s.Models;

namespace Berth.Core.Tables;

/// <summary>
/// Converts objects of one resource into the <c>meta.k8s.io/v1</c> Table that <c>kubectl get</c> asks for with
/// <c>Accept: application/json;as=Table;v=v1;g=meta.k8s.io</c>. Columns and cells are those of Kubernetes'
/// printers (pkg/printers/internalversion/printers.go), always in their wide form; each row's object is what the
/// <see cref="IncludeObjectPolicy"/> asks for (apiserver handlers/response.go <c>asTable</c>).
/// </summary>
public static class TableConvertor
{
    /// <summary>The column definitions served for <paramref name="resource"/> (its registration's printer).</summary>
    public static IReadOnlyList<TableColumnDefinition> ColumnsFor(ResourceInfo resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return resource.Printer.Columns;
    }

    /// <summary>
    /// Builds the Table for <paramref name="items"/>, all of <paramref name="resource"/>'s model type.
    /// <c>metadata.resourceVersion</c> is <paramref name="listResourceVersion"/>; when that is null and there is a
    /// single item (a watch event) it is the item's own resourceVersion, as Kubernetes' table generator does for
    /// one object. Ages are computed against <paramref name="now"/>. Each row's <c>object</c> follows
    /// <paramref name="includeObject"/> (kubectl's default is <see cref="IncludeObjectPolicy.Metadata"/>).
    /// </summary>
    public static JsonObject Convert(
        ResourceInfo resource,
        IReadOnlyList<IKubernetesObject<V1ObjectMeta>> items,
        string? listResourceVersion,
        string? continueToken,
        DateTimeOffset now,
        IncludeObjectPolicy includeObject = IncludeObjectPolicy.Metadata)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(items);

        var printer = resource.Printer;
        var metadata = new JsonObject();
        var resourceVersion = listResourceVersion ?? (items.Count == 1 ? items[0].Metadata?.ResourceVersion : null);
        if (!string.IsNullOrEmpty(resourceVersion))
        {
            metadata["resourceVersion"] = resourceVersion;
        }

        if (!string.IsNullOrEmpty(continueToken))
        {
            metadata["continue"] = continueToken;
        }

        var columns = new JsonArray();
        foreach (var column in printer.Columns)
        {
            columns.Add(new JsonObject
            {
                ["name"] = column.Name,
                ["type"] = column.Type,
                ["format"] = column.Format,
                ["description"] = column.Description,
                ["priority"] = column.Priority,
            });
        }

        var rows = new JsonArray();
        foreach (var item in items)
        {
            var row = printer.Print(item, now);
            var json = new JsonObject { ["cells"] = Cells(row.Cells) };
            if (row.Conditions is not null)
            {
                json["conditions"] = row.Conditions;
            }

            json["object"] = includeObject switch
            {
                IncludeObjectPolicy.Object => FullObject(resource, item),
                IncludeObjectPolicy.None => null,
                _ => PartialObjectMetadata(item),
            };
            rows.Add(json);
        }

        return new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = metadata,
            ["columnDefinitions"] = columns,
            ["rows"] = rows,
        };
    }

    private static JsonArray Cells(IReadOnlyList<object> cells)
    {
        var array = new JsonArray();
        foreach (var cell in cells)
        {
            array.Add(cell switch
            {
                string s => JsonValue.Create(s),
                long l => JsonValue.Create(l),
                int i => JsonValue.Create((long)i),
                bool b => JsonValue.Create(b),
                _ => throw new InvalidOperationException($"Unsupported cell type {cell.GetType().Name}."),
            });
        }

        return array;
    }

    // asTable converts the object to the request's version, which sets its apiVersion and kind: kubectl decodes the
    // row objects it sorts (--sort-by) as unstructured objects, which need both.
    private static JsonObject FullObject(ResourceInfo resource, IKubernetesObject<V1ObjectMeta> item)
    {
        var body = JsonNode.Parse(KubernetesJson.Serialize(item))!.AsObject();
        var json = new JsonObject { ["apiVersion"] = resource.ApiVersion, ["kind"] = resource.Kind };
        foreach (var (name, value) in body.ToList())
        {
            if (name is not ("apiVersion" or "kind"))
            {
                body.Remove(name);
                json[name] = value;
            }
        }

        return json;
    }

    // The row object kubectl reads NAMESPACE and LABELS from; managedFields are left out as the API server does.
    private static JsonObject PartialObjectMetadata(IKubernetesObject<V1ObjectMeta> item)
    {
        var metadata = item.Metadata is null
            ? new JsonObject()
            : JsonNode.Parse(KubernetesJson.Serialize(item.Metadata))!.AsObject();
        metadata.Remove("managedFields");
        return new JsonObject
        {
            ["kind"] = "PartialObjectMetadata",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = metadata,
        };
    }
}

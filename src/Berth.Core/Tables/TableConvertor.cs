using System.Text.Json.Nodes;
using Berth.Core.Resources;
using k8s;
using k8s.Models;

namespace Berth.Core.Tables;

/// <summary>
/// Converts objects of one resource into the <c>meta.k8s.io/v1</c> Table that <c>kubectl get</c> asks for with
/// <c>Accept: application/json;as=Table;v=v1;g=meta.k8s.io</c>. Columns and cells are those of Kubernetes'
/// printers (pkg/printers/internalversion/printers.go), always in their wide form; each row's object is
/// the item's PartialObjectMetadata, as the API server sends when no <c>includeObject</c> is given.
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
    /// one object. Ages are computed against <paramref name="now"/>.
    /// </summary>
    public static JsonObject Convert(
        ResourceInfo resource,
        IReadOnlyList<IKubernetesObject<V1ObjectMeta>> items,
        string? listResourceVersion,
        string? continueToken,
        DateTimeOffset now)
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

            json["object"] = PartialObjectMetadata(item);
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

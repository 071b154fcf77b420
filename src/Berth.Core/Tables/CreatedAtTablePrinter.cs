using System.Globalization;
using k8s;
using k8s.Models;

namespace Berth.Core.Tables;

/// <summary>
/// Kubernetes' default table convertor (apiserver <c>pkg/registry/rest/table.go</c>), which prints kinds that have no
/// print handler — Role and ClusterRole among them: Name and a "Created At" date in RFC 3339, UTC.
/// </summary>
internal sealed class CreatedAtTablePrinter : ITablePrinter
{
    public IReadOnlyList<TableColumnDefinition> Columns { get; } =
    [
        TableColumnDefinition.NameColumn,
        new("Created At", "date", string.Empty, ColumnDescriptions.CreationTimestamp, 0),
    ];

    public TableRow Print(IKubernetesObject<V1ObjectMeta> item, DateTimeOffset now) => new(
    [
        item.Metadata?.Name ?? string.Empty,
        item.Metadata?.CreationTimestamp is { } created
            ? created.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : "0001-01-01T00:00:00Z",
    ]);
}

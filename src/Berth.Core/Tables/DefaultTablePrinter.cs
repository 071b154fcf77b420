using k8s;
using k8s.Models;

namespace Berth.Core.Tables;

/// <summary>
/// Name and Age for a kind without a printer. (Kubernetes' own default convertor prints a "Created At"
/// date column instead; Name + Age reads better in <c>kubectl get</c>.)
/// </summary>
internal sealed class DefaultTablePrinter : ITablePrinter
{
    public static DefaultTablePrinter Instance { get; } = new();

    public IReadOnlyList<TableColumnDefinition> Columns { get; } =
        [TableColumnDefinition.NameColumn, TableColumnDefinition.AgeColumn];

    public TableRow Print(IKubernetesObject<V1ObjectMeta> item, DateTimeOffset now) => new(
    [
        item.Metadata?.Name ?? string.Empty,
        HumanDuration.Since(item.Metadata?.CreationTimestamp, now),
    ]);
}

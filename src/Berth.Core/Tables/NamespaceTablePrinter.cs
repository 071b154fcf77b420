using k8s.Models;

namespace Berth.Core.Tables;

/// <summary><c>kubectl get namespaces</c>: a port of <c>printNamespace</c>.</summary>
internal sealed class NamespaceTablePrinter : TablePrinter<V1Namespace>
{
    public override IReadOnlyList<TableColumnDefinition> Columns { get; } =
    [
        TableColumnDefinition.NameColumn,
        TableColumnDefinition.String("Status", ColumnDescriptions.NamespaceStatus),
        TableColumnDefinition.AgeColumn,
    ];

    protected override TableRow Print(V1Namespace ns, DateTimeOffset now) => new(
    [
        ns.Metadata?.Name ?? string.Empty,
        ns.Status?.Phase ?? string.Empty,
        HumanDuration.Since(ns.Metadata?.CreationTimestamp, now),
    ]);
}

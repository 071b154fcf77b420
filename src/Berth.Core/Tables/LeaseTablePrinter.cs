using k8s.Models;

namespace Berth.Core.Tables;

/// <summary><c>kubectl get leases</c>: a port of <c>printLease</c>.</summary>
internal sealed class LeaseTablePrinter : TablePrinter<V1Lease>
{
    public override IReadOnlyList<TableColumnDefinition> Columns { get; } =
    [
        TableColumnDefinition.NameColumn,
        TableColumnDefinition.String("Holder", ColumnDescriptions.LeaseHolderIdentity),
        TableColumnDefinition.AgeColumn,
    ];

    protected override TableRow Print(V1Lease lease, DateTimeOffset now) => new(
    [
        lease.Metadata?.Name ?? string.Empty,
        lease.Spec?.HolderIdentity ?? string.Empty,
        HumanDuration.Since(lease.Metadata?.CreationTimestamp, now),
    ]);
}

using k8s.Models;

namespace Berth.Core.Tables;

/// <summary><c>kubectl get replicasets</c>: a port of <c>printReplicaSet</c>.</summary>
internal sealed class ReplicaSetTablePrinter : TablePrinter<V1ReplicaSet>
{
    public override IReadOnlyList<TableColumnDefinition> Columns { get; } =
    [
        TableColumnDefinition.NameColumn,
        TableColumnDefinition.Integer("Desired", ColumnDescriptions.ReplicaSetSpecReplicas),
        TableColumnDefinition.Integer("Current", ColumnDescriptions.ReplicaSetStatusReplicas),
        TableColumnDefinition.Integer("Ready", ColumnDescriptions.ReplicaSetStatusReadyReplicas),
        TableColumnDefinition.AgeColumn,
        TableColumnDefinition.String("Containers", ColumnDescriptions.TemplateContainers, 1),
        TableColumnDefinition.String("Images", ColumnDescriptions.TemplateImages, 1),
        TableColumnDefinition.String("Selector", ColumnDescriptions.ReplicaSetSpecSelector, 1),
    ];

    protected override TableRow Print(V1ReplicaSet replicaSet, DateTimeOffset now)
    {
        var spec = replicaSet.Spec;
        var (names, images) = TableFormat.LayoutContainerCells(spec?.Template?.Spec?.Containers);

        object[] cells =
        [
            replicaSet.Metadata?.Name ?? string.Empty,
            (long)(spec?.Replicas ?? 1),
            (long)(replicaSet.Status?.Replicas ?? 0),
            (long)(replicaSet.Status?.ReadyReplicas ?? 0),
            HumanDuration.Since(replicaSet.Metadata?.CreationTimestamp, now),
            names,
            images,
            TableFormat.FormatLabelSelector(spec?.Selector),
        ];
        return new TableRow(cells);
    }
}

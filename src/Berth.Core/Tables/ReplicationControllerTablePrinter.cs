using k8s.Models;

namespace Berth.Core.Tables;

/// <summary><c>kubectl get replicationcontrollers</c>: a port of <c>printReplicationController</c>.</summary>
internal sealed class ReplicationControllerTablePrinter : TablePrinter<V1ReplicationController>
{
    public override IReadOnlyList<TableColumnDefinition> Columns { get; } =
    [
        TableColumnDefinition.NameColumn,
        TableColumnDefinition.Integer("Desired", ColumnDescriptions.ReplicationControllerSpecReplicas),
        TableColumnDefinition.Integer("Current", ColumnDescriptions.ReplicationControllerStatusReplicas),
        TableColumnDefinition.Integer("Ready", ColumnDescriptions.ReplicationControllerStatusReadyReplicas),
        TableColumnDefinition.AgeColumn,
        TableColumnDefinition.String("Containers", ColumnDescriptions.TemplateContainers, 1),
        TableColumnDefinition.String("Images", ColumnDescriptions.TemplateImages, 1),
        TableColumnDefinition.String("Selector", ColumnDescriptions.ReplicationControllerSpecSelector, 1),
    ];

    protected override TableRow Print(V1ReplicationController controller, DateTimeOffset now)
    {
        var spec = controller.Spec;
        var (names, images) = TableFormat.LayoutContainerCells(spec?.Template?.Spec?.Containers);
        object[] cells =
        [
            controller.Metadata?.Name ?? string.Empty,
            (long)(spec?.Replicas ?? 1),
            (long)(controller.Status?.Replicas ?? 0),
            (long)(controller.Status?.ReadyReplicas ?? 0),
            HumanDuration.Since(controller.Metadata?.CreationTimestamp, now),
            names,
            images,
            TableFormat.FormatLabels(spec?.Selector),
        ];
        return new TableRow(cells);
    }
}

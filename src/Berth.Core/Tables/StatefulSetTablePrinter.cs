using System.Globalization;
using k8s.Models;

namespace Berth.Core.Tables;

/// <summary><c>kubectl get statefulsets</c>: a port of <c>printStatefulSet</c> (READY is ready/desired).</summary>
internal sealed class StatefulSetTablePrinter : TablePrinter<V1StatefulSet>
{
    public override IReadOnlyList<TableColumnDefinition> Columns { get; } =
    [
        TableColumnDefinition.NameColumn,
        TableColumnDefinition.String("Ready", ColumnDescriptions.ReadyPods),
        TableColumnDefinition.AgeColumn,
        TableColumnDefinition.String("Containers", ColumnDescriptions.TemplateContainers, 1),
        TableColumnDefinition.String("Images", ColumnDescriptions.TemplateImages, 1),
    ];

    protected override TableRow Print(V1StatefulSet statefulSet, DateTimeOffset now)
    {
        var (names, images) = TableFormat.LayoutContainerCells(statefulSet.Spec?.Template?.Spec?.Containers);
        var ready = statefulSet.Status?.ReadyReplicas ?? 0;
        var desired = statefulSet.Spec?.Replicas ?? 1;
        object[] cells =
        [
            statefulSet.Metadata?.Name ?? string.Empty,
            string.Create(CultureInfo.InvariantCulture, $"{ready}/{desired}"),
            HumanDuration.Since(statefulSet.Metadata?.CreationTimestamp, now),
            names,
            images,
        ];
        return new TableRow(cells);
    }
}

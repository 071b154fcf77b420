using k8s.Models;

namespace Berth.Core.Tables;

/// <summary><c>kubectl get daemonsets</c>: a port of <c>printDaemonSet</c>.</summary>
internal sealed class DaemonSetTablePrinter : TablePrinter<V1DaemonSet>
{
    public override IReadOnlyList<TableColumnDefinition> Columns { get; } =
    [
        TableColumnDefinition.NameColumn,
        TableColumnDefinition.Integer("Desired", "The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod). More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/"),
        TableColumnDefinition.Integer("Current", "The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod. More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/"),
        TableColumnDefinition.Integer("Ready", "numberReady is the number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition."),
        TableColumnDefinition.Integer("Up-to-date", "The total number of nodes that are running updated daemon pod"),
        TableColumnDefinition.Integer("Available", "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)"),
        TableColumnDefinition.String("Node Selector", "NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node's labels for the pod to be scheduled on that node. More info: https://kubernetes.io/docs/concepts/configuration/assign-pod-node/"),
        TableColumnDefinition.AgeColumn,
        TableColumnDefinition.String("Containers", ColumnDescriptions.TemplateContainers, 1),
        TableColumnDefinition.String("Images", ColumnDescriptions.TemplateImages, 1),
        TableColumnDefinition.String("Selector", "A label query over pods that are managed by the daemon set. Must match in order to be controlled. It must match the pod template's labels. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors", 1),
    ];

    protected override TableRow Print(V1DaemonSet daemonSet, DateTimeOffset now)
    {
        var spec = daemonSet.Spec;
        var status = daemonSet.Status;
        var (names, images) = TableFormat.LayoutContainerCells(spec?.Template?.Spec?.Containers);
        object[] cells =
        [
            daemonSet.Metadata?.Name ?? string.Empty,
            (long)(status?.DesiredNumberScheduled ?? 0),
            (long)(status?.CurrentNumberScheduled ?? 0),
            (long)(status?.NumberReady ?? 0),
            (long)(status?.UpdatedNumberScheduled ?? 0),
            (long)(status?.NumberAvailable ?? 0),
            TableFormat.FormatLabels(spec?.Template?.Spec?.NodeSelector),
            HumanDuration.Since(daemonSet.Metadata?.CreationTimestamp, now),
            names,
            images,
            TableFormat.FormatLabelSelector(spec?.Selector),
        ];
        return new TableRow(cells);
    }
}

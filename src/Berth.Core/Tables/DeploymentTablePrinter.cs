using System.Globalization;
using k8s.Models;

namespace Berth.Core.Tables;

/// <summary><c>kubectl get deployments</c>: a port of <c>printDeployment</c>.</summary>
internal sealed class DeploymentTablePrinter : TablePrinter<V1Deployment>
{
    public override IReadOnlyList<TableColumnDefinition> Columns { get; } =
    [
        TableColumnDefinition.NameColumn,
        TableColumnDefinition.String("Ready", ColumnDescriptions.ReadyPods),
        TableColumnDefinition.String("Up-to-date", ColumnDescriptions.DeploymentUpdatedReplicas),
        TableColumnDefinition.String("Available", ColumnDescriptions.DeploymentAvailableReplicas),
        TableColumnDefinition.AgeColumn,
        TableColumnDefinition.String("Containers", ColumnDescriptions.TemplateContainers, 1),
        TableColumnDefinition.String("Images", ColumnDescriptions.TemplateImages, 1),
        TableColumnDefinition.String("Selector", ColumnDescriptions.DeploymentSelector, 1),
    ];

    protected override TableRow Print(V1Deployment deployment, DateTimeOffset now)
    {
        var spec = deployment.Spec;
        var status = deployment.Status;

        // spec.replicas defaults to 1.
        var desired = spec?.Replicas ?? 1;
        var (names, images) = TableFormat.LayoutContainerCells(spec?.Template?.Spec?.Containers);

        object[] cells =
        [
            deployment.Metadata?.Name ?? string.Empty,
            string.Create(CultureInfo.InvariantCulture, $"{status?.ReadyReplicas ?? 0}/{desired}"),
            (long)(status?.UpdatedReplicas ?? 0),
            (long)(status?.AvailableReplicas ?? 0),
            HumanDuration.Since(deployment.Metadata?.CreationTimestamp, now),
            names,
            images,
            TableFormat.SelectorString(spec?.Selector) ?? "<invalid>",
        ];
        return new TableRow(cells);
    }
}

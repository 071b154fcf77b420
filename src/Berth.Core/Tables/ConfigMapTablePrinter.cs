using k8s.Models;

namespace Berth.Core.Tables;

/// <summary><c>kubectl get configmaps</c>: a port of <c>printConfigMap</c> (DATA counts data and binaryData keys).</summary>
internal sealed class ConfigMapTablePrinter : TablePrinter<V1ConfigMap>
{
    public override IReadOnlyList<TableColumnDefinition> Columns { get; } =
    [
        TableColumnDefinition.NameColumn,
        TableColumnDefinition.String("Data", ColumnDescriptions.ConfigMapData),
        TableColumnDefinition.AgeColumn,
    ];

    protected override TableRow Print(V1ConfigMap configMap, DateTimeOffset now) => new(
    [
        configMap.Metadata?.Name ?? string.Empty,
        (long)((configMap.Data?.Count ?? 0) + (configMap.BinaryData?.Count ?? 0)),
        HumanDuration.Since(configMap.Metadata?.CreationTimestamp, now),
    ]);
}

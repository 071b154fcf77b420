using k8s.Models;

namespace Berth.Core.Tables;

/// <summary><c>kubectl get secrets</c>: a port of <c>printSecret</c> (NAME TYPE DATA AGE; DATA counts the data keys).</summary>
internal sealed class SecretTablePrinter : TablePrinter<V1Secret>
{
    public override IReadOnlyList<TableColumnDefinition> Columns { get; } =
    [
        TableColumnDefinition.NameColumn,
        TableColumnDefinition.String("Type", ColumnDescriptions.SecretType),
        TableColumnDefinition.String("Data", ColumnDescriptions.SecretData),
        TableColumnDefinition.AgeColumn,
    ];

    protected override TableRow Print(V1Secret secret, DateTimeOffset now) => new(
    [
        secret.Metadata?.Name ?? string.Empty,
        secret.Type ?? string.Empty,
        (long)(secret.Data?.Count ?? 0),
        HumanDuration.Since(secret.Metadata?.CreationTimestamp, now),
    ]);
}

using k8s.Models;

namespace Berth.Core.Tables;

/// <summary><c>kubectl get serviceaccounts</c>: a port of <c>printServiceAccount</c> (NAME SECRETS AGE).</summary>
internal sealed class ServiceAccountTablePrinter : TablePrinter<V1ServiceAccount>
{
    public override IReadOnlyList<TableColumnDefinition> Columns { get; } =
    [
        TableColumnDefinition.NameColumn,
        TableColumnDefinition.String("Secrets", ColumnDescriptions.ServiceAccountSecrets),
        TableColumnDefinition.AgeColumn,
    ];

    protected override TableRow Print(V1ServiceAccount account, DateTimeOffset now) => new(
    [
        account.Metadata?.Name ?? string.Empty,
        (long)(account.Secrets?.Count ?? 0),
        HumanDuration.Since(account.Metadata?.CreationTimestamp, now),
    ]);
}

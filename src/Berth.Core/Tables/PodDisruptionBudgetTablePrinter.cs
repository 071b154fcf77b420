using System.Globalization;
using k8s.Models;

namespace Berth.Core.Tables;

/// <summary><c>kubectl get pdb</c>: a port of <c>printPodDisruptionBudget</c>.</summary>
internal sealed class PodDisruptionBudgetTablePrinter : TablePrinter<V1PodDisruptionBudget>
{
    // policy/v1beta1 PodDisruptionBudgetSpec / Status SwaggerDoc(), which printers.go uses.
    private const string MinAvailable = "An eviction is allowed if at least \"minAvailable\" pods selected by \"selector\" will still be available after the eviction, i.e. even in the absence of the evicted pod.  So for example you can prevent all voluntary evictions by specifying \"100%\".";
    private const string MaxUnavailable = "An eviction is allowed if at most \"maxUnavailable\" pods selected by \"selector\" are unavailable after the eviction, i.e. even in absence of the evicted pod. For example, one can prevent all voluntary evictions by specifying 0. This is a mutually exclusive setting with \"minAvailable\".";
    private const string DisruptionsAllowed = "Number of pod disruptions that are currently allowed.";

    public override IReadOnlyList<TableColumnDefinition> Columns { get; } =
    [
        TableColumnDefinition.NameColumn,
        TableColumnDefinition.String("Min Available", MinAvailable),
        TableColumnDefinition.String("Max Unavailable", MaxUnavailable),
        TableColumnDefinition.Integer("Allowed Disruptions", DisruptionsAllowed),
        TableColumnDefinition.AgeColumn,
    ];

    protected override TableRow Print(V1PodDisruptionBudget pdb, DateTimeOffset now) => new(
    [
        pdb.Metadata?.Name ?? string.Empty,
        pdb.Spec?.MinAvailable?.Value ?? "N/A",
        pdb.Spec?.MaxUnavailable?.Value ?? "N/A",
        (long)(pdb.Status?.DisruptionsAllowed ?? 0),
        HumanDuration.Since(pdb.Metadata?.CreationTimestamp, now),
    ]);
}

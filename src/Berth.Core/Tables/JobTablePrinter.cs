using System.Globalization;
using k8s.Models;

namespace Berth.Core.Tables;

/// <summary><c>kubectl get jobs</c>: a port of <c>printJob</c> (1.32's columns, with Status).</summary>
internal sealed class JobTablePrinter : TablePrinter<V1Job>
{
    public override IReadOnlyList<TableColumnDefinition> Columns { get; } =
    [
        TableColumnDefinition.NameColumn,
        TableColumnDefinition.String("Status", "Status of the job."),
        TableColumnDefinition.String("Completions", "The number of pods which reached phase Succeeded. The value increases monotonically for a given spec. However, it may decrease in reaction to scale down of elastic indexed jobs."),
        TableColumnDefinition.String("Duration", "Time required to complete the job."),
        TableColumnDefinition.AgeColumn,
        TableColumnDefinition.String("Containers", ColumnDescriptions.TemplateContainers, 1),
        TableColumnDefinition.String("Images", ColumnDescriptions.TemplateImages, 1),
        TableColumnDefinition.String("Selector", JobSelector, 1),
    ];

    /// <summary><c>JobSpec.selector</c>'s description, shared with the CronJob printer.</summary>
    internal const string JobSelector = "A label query over pods that should match the pod count. Normally, the system sets this field for you. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors";

    protected override TableRow Print(V1Job job, DateTimeOffset now)
    {
        var spec = job.Spec;
        var status = job.Status;
        var succeeded = status?.Succeeded ?? 0;
        string completions;
        if (spec?.Completions is { } wanted)
        {
            completions = string.Create(CultureInfo.InvariantCulture, $"{succeeded}/{wanted}");
        }
        else
        {
            completions = spec?.Parallelism is > 1 and var parallelism
                ? string.Create(CultureInfo.InvariantCulture, $"{succeeded}/1 of {parallelism}")
                : string.Create(CultureInfo.InvariantCulture, $"{succeeded}/1");
        }

        var duration = status?.StartTime switch
        {
            null => "",
            { } start when status.CompletionTime is { } end => HumanDuration.Format(end - start),
            { } start => HumanDuration.Since(start, now),
        };
        var (names, images) = TableFormat.LayoutContainerCells(spec?.Template?.Spec?.Containers);
        object[] cells =
        [
            job.Metadata?.Name ?? string.Empty,
            StatusOf(job),
            completions,
            duration,
            HumanDuration.Since(job.Metadata?.CreationTimestamp, now),
            names,
            images,
            TableFormat.FormatLabelSelector(spec?.Selector),
        ];
        return new TableRow(cells);
    }

    private static string StatusOf(V1Job job)
    {
        var conditions = job.Status?.Conditions ?? [];
        bool Has(string type) => conditions.Any(c => c.Type == type && c.Status == "True");
        if (Has("Complete"))
        {
            return "Complete";
        }

        if (Has("Failed"))
        {
            return "Failed";
        }

        if (job.Metadata?.DeletionTimestamp is not null)
        {
            return "Terminating";
        }

        return Has("Suspended") ? "Suspended"
            : Has("FailureTarget") ? "FailureTarget"
            : Has("SuccessCriteriaMet") ? "SuccessCriteriaMet"
            : "Running";
    }
}

using k8s.Models;

namespace Berth.Core.Tables;

/// <summary><c>kubectl get cronjobs</c>: a port of <c>printCronJob</c> (1.32, with the Timezone column).</summary>
internal sealed class CronJobTablePrinter : TablePrinter<V1CronJob>
{
    public override IReadOnlyList<TableColumnDefinition> Columns { get; } =
    [
        TableColumnDefinition.NameColumn,
        TableColumnDefinition.String("Schedule", "The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron."),
        TableColumnDefinition.String("Timezone", "The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones. If not specified, this will default to the time zone of the kube-controller-manager process. The set of valid time zone names and the time zone offset is loaded from the system-wide time zone database by the API server during CronJob validation and the controller manager during execution. If no system-wide time zone database can be found a bundled version of the database is used instead. If the time zone name becomes invalid during the lifetime of a CronJob or due to a change in host configuration, the controller will stop creating new new Jobs and will create a system event with the reason UnknownTimeZone. More information can be found in https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#time-zones"),
        new TableColumnDefinition("Suspend", "boolean", string.Empty, "This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.  Defaults to false.", 0),
        TableColumnDefinition.Integer("Active", "A list of pointers to currently running jobs."),
        TableColumnDefinition.String("Last Schedule", "Information when was the last time the job was successfully scheduled."),
        TableColumnDefinition.AgeColumn,
        TableColumnDefinition.String("Containers", ColumnDescriptions.TemplateContainers, 1),
        TableColumnDefinition.String("Images", ColumnDescriptions.TemplateImages, 1),
        TableColumnDefinition.String("Selector", JobTablePrinter.JobSelector, 1),
    ];

    protected override TableRow Print(V1CronJob cronJob, DateTimeOffset now)
    {
        var spec = cronJob.Spec;
        var template = spec?.JobTemplate?.Spec;
        var (names, images) = TableFormat.LayoutContainerCells(template?.Template?.Spec?.Containers);
        object[] cells =
        [
            cronJob.Metadata?.Name ?? string.Empty,
            spec?.Schedule ?? string.Empty,
            spec?.TimeZone ?? "<none>",
            spec?.Suspend is { } suspend ? (suspend ? "True" : "False") : "<unset>",
            (long)(cronJob.Status?.Active?.Count ?? 0),
            cronJob.Status?.LastScheduleTime is { } last ? HumanDuration.Since(last, now) : "<none>",
            HumanDuration.Since(cronJob.Metadata?.CreationTimestamp, now),
            names,
            images,
            TableFormat.FormatLabelSelector(template?.Selector),
        ];
        return new TableRow(cells);
    }
}

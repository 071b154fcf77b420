using k8s.Models;

namespace Berth.Core.Tables;

/// <summary><c>kubectl get events</c>: a port of <c>printEvent</c> (wide cell order, as the API server prints).</summary>
internal sealed class EventTablePrinter : TablePrinter<Corev1Event>
{
    public override IReadOnlyList<TableColumnDefinition> Columns { get; } =
    [
        TableColumnDefinition.String("Last Seen", ColumnDescriptions.EventLastTimestamp),
        TableColumnDefinition.String("Type", ColumnDescriptions.EventType),
        TableColumnDefinition.String("Reason", ColumnDescriptions.EventReason),
        TableColumnDefinition.String("Object", ColumnDescriptions.EventInvolvedObject),
        TableColumnDefinition.String("Subobject", ColumnDescriptions.ObjectReferenceFieldPath, 1),
        TableColumnDefinition.String("Source", ColumnDescriptions.EventSource, 1),
        TableColumnDefinition.String("Message", ColumnDescriptions.EventMessage),
        TableColumnDefinition.String("First Seen", ColumnDescriptions.EventFirstTimestamp, 1),
        TableColumnDefinition.String("Count", ColumnDescriptions.EventCount, 1),
        TableColumnDefinition.NameColumn with { Priority = 1 },
    ];

    protected override TableRow Print(Corev1Event ev, DateTimeOffset now)
    {
        var firstTimestamp = IsSet(ev.FirstTimestamp)
            ? HumanDuration.Since(ev.FirstTimestamp, now)
            : HumanDuration.Since(ev.EventTime, now);
        var lastTimestamp = IsSet(ev.LastTimestamp) ? HumanDuration.Since(ev.LastTimestamp, now) : firstTimestamp;

        var count = ev.Count ?? 0;
        if (ev.Series is not null)
        {
            lastTimestamp = HumanDuration.Since(ev.Series.LastObservedTime, now);
            count = ev.Series.Count ?? 0;
        }
        else if (count == 0)
        {
            // Singleton events don't have a count set in the new API.
            count = 1;
        }

        var kind = (ev.InvolvedObject?.Kind ?? string.Empty).ToLowerInvariant();
        var target = string.IsNullOrEmpty(ev.InvolvedObject?.Name) ? kind : kind + "/" + ev.InvolvedObject.Name;

        object[] cells =
        [
            lastTimestamp,
            ev.Type ?? string.Empty,
            ev.Reason ?? string.Empty,
            target,
            ev.InvolvedObject?.FieldPath ?? string.Empty,
            FormatEventSource(ev),
            (ev.Message ?? string.Empty).Trim(),
            firstTimestamp,
            (long)count,
            ev.Metadata?.Name ?? string.Empty,
        ];
        return new TableRow(cells);
    }

    private static bool IsSet(DateTime? t) => t is { } v && v != default;

    // formatEventSource: component (or reportingController), then ", host" (or reportingInstance) when set.
    private static string FormatEventSource(Corev1Event ev)
    {
        var component = FirstNonEmpty(ev.Source?.Component, ev.ReportingComponent);
        var instance = FirstNonEmpty(ev.Source?.Host, ev.ReportingInstance);
        return instance.Length == 0 ? component : component + ", " + instance;
    }

    private static string FirstNonEmpty(string? a, string? b) =>
        !string.IsNullOrEmpty(a) ? a : b ?? string.Empty;
}

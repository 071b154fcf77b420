using System.Text.Json.Nodes;
using Berth.Core.Resources;

namespace Berth.Core.Conversion;

/// <summary>
/// events.k8s.io/v1 Event ⇄ core/v1 Event (pkg/apis/events/v1/conversion.go), on JSON: the same stored objects under
/// other field names — note ↔ message, regarding ↔ involvedObject, reportingController ↔ reportingComponent,
/// deprecatedSource ↔ source, deprecatedFirstTimestamp ↔ firstTimestamp, deprecatedLastTimestamp ↔ lastTimestamp,
/// deprecatedCount ↔ count; eventTime, series, reportingInstance, action, reason, related and type keep their names.
/// </summary>
public sealed class EventConversion : IVersionConverter
{
    private static readonly (string Events, string Core)[] _renamed =
    [
        ("note", "message"),
        ("regarding", "involvedObject"),
        ("reportingController", "reportingComponent"),
        ("deprecatedSource", "source"),
        ("deprecatedFirstTimestamp", "firstTimestamp"),
        ("deprecatedLastTimestamp", "lastTimestamp"),
        ("deprecatedCount", "count"),
    ];

    public JsonObject ToStorage(JsonObject served)
    {
        ArgumentNullException.ThrowIfNull(served);
        served["apiVersion"] = "v1";
        foreach (var (events, core) in _renamed)
        {
            Rename(served, events, core);
        }

        return served;
    }

    public JsonObject FromStorage(JsonObject stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        stored["apiVersion"] = "events.k8s.io/v1";
        foreach (var (events, core) in _renamed)
        {
            Rename(stored, core, events);
        }

        return stored;
    }

    private static void Rename(JsonObject obj, string from, string to)
    {
        if (obj.Remove(from, out var value))
        {
            obj[to] = value;
        }
    }
}

using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Berth.Proxy.Observability;

/// <summary>Renders trace entries as aligned text (for people) or JSON (for tools).</summary>
internal static class TraceFormat
{
    public static string Text(IReadOnlyList<TraceEntry> entries)
    {
        var rows = new List<string[]> { new[] { "TIME", "PROTO", "CLIENT", "FRONTEND", "KIND", "SERVICE PORT", "ENDPOINT", "WHY" } };
        foreach (var e in entries)
        {
            rows.Add([
                e.Time.UtcDateTime.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture),
                e.Frontend.Protocol.ToString(),
                e.Client.ToString(),
                e.Frontend.Address + ":" + e.Frontend.Port.ToString(CultureInfo.InvariantCulture),
                e.Frontend.Kind.ToString(),
                e.ServicePort.ToString(),
                e.Endpoint ?? "-",
                Why(e),
            ]);
        }

        var widths = new int[rows[0].Length];
        foreach (var row in rows)
        {
            for (var i = 0; i < row.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        var text = new StringBuilder();
        foreach (var row in rows)
        {
            for (var i = 0; i < row.Length; i++)
            {
                text.Append(i == row.Length - 1 ? row[i] : row[i].PadRight(widths[i] + 2));
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    public static string Json(IReadOnlyList<TraceEntry> entries)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteStartArray("entries");
            foreach (var e in entries)
            {
                json.WriteStartObject();
                json.WriteString("time", e.Time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture));
                json.WriteString("protocol", e.Frontend.Protocol.ToString());
                json.WriteString("client", e.Client.ToString());
                json.WriteString("frontend", e.Frontend.Address + ":" + e.Frontend.Port.ToString(CultureInfo.InvariantCulture));
                json.WriteString("kind", e.Frontend.Kind.ToString());
                json.WriteString("namespace", e.ServicePort.Namespace);
                json.WriteString("service", e.ServicePort.Name);
                json.WriteString("port", e.ServicePort.Port);
                if (e.Endpoint is null)
                {
                    json.WriteNull("endpoint");
                }
                else
                {
                    json.WriteString("endpoint", e.Endpoint);
                }

                json.WriteString("decision", Name(e.Decision));
                if (e.Detail is not null)
                {
                    json.WriteString("detail", e.Detail);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>The decision as the trace spells it: <c>affinity</c>, <c>policy</c>, <c>retry</c>, <c>refused</c>, <c>dropped</c>.</summary>
    public static string Name(Decision decision) => decision switch
    {
        Decision.AffinityHit => "affinity",
        Decision.Policy => "policy",
        Decision.Retry => "retry",
        Decision.Refused => "refused",
        _ => "dropped",
    };

    private static string Why(TraceEntry e) => e.Detail is null ? Name(e.Decision) : Name(e.Decision) + " (" + e.Detail + ")";
}

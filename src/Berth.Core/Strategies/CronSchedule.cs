using Cronos;

namespace Berth.Core.Strategies;

/// <summary>
/// A CronJob schedule as Kubernetes reads it (<c>robfig/cron/v3</c> <c>ParseStandard</c>): five fields (minute, hour,
/// day of month, month, day of week), the descriptors <c>@yearly</c>, <c>@annually</c>, <c>@monthly</c>,
/// <c>@weekly</c>, <c>@daily</c>, <c>@midnight</c>, <c>@hourly</c>, and an optional <c>TZ=</c>/<c>CRON_TZ=</c>
/// prefix. The fields are evaluated by Cronos (a maintained parser that handles time zones and daylight-saving
/// transitions); robfig's own error messages are kept for the structural errors clients see most.
/// Not supported: <c>@every &lt;duration&gt;</c> (refused with a clear message).
/// </summary>
public sealed class CronSchedule
{
    private static readonly Dictionary<string, string> _descriptors = new(StringComparer.Ordinal)
    {
        ["@yearly"] = "0 0 1 1 *",
        ["@annually"] = "0 0 1 1 *",
        ["@monthly"] = "0 0 1 * *",
        ["@weekly"] = "0 0 * * 0",
        ["@daily"] = "0 0 * * *",
        ["@midnight"] = "0 0 * * *",
        ["@hourly"] = "0 * * * *",
    };

    private readonly CronExpression _expression;

    private CronSchedule(CronExpression expression, TimeZoneInfo? zone)
    {
        _expression = expression;
        Zone = zone;
    }

    /// <summary>The zone of a <c>TZ=</c>/<c>CRON_TZ=</c> prefix, or null.</summary>
    public TimeZoneInfo? Zone { get; }

    /// <summary>Parses <paramref name="schedule"/>; on failure <paramref name="error"/> says why, worded as robfig/cron where it can.</summary>
    public static bool TryParse(string? schedule, out CronSchedule? result, out string error)
    {
        result = null;
        var spec = (schedule ?? "").Trim();
        if (spec.Length == 0)
        {
            error = "empty spec string";
            return false;
        }

        TimeZoneInfo? zone = null;
        if (spec.StartsWith("TZ=", StringComparison.Ordinal) || spec.StartsWith("CRON_TZ=", StringComparison.Ordinal))
        {
            var space = spec.IndexOf(' ', StringComparison.Ordinal);
            var name = space < 0 ? spec[(spec.IndexOf('=', StringComparison.Ordinal) + 1)..] : spec[(spec.IndexOf('=', StringComparison.Ordinal) + 1)..space];
            if (!TryFindZone(name, out zone))
            {
                error = "provided bad location " + name + ": unknown time zone " + name;
                return false;
            }

            spec = space < 0 ? "" : spec[space..].Trim();
        }

        if (spec.StartsWith('@'))
        {
            if (spec.StartsWith("@every", StringComparison.Ordinal))
            {
                error = "@every schedules are not supported by Berth; use a five-field schedule";
                return false;
            }

            if (!_descriptors.TryGetValue(spec, out var fields))
            {
                error = "unrecognized descriptor: " + spec;
                return false;
            }

            spec = fields;
        }

        var parts = spec.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 5)
        {
            error = $"expected exactly 5 fields, found {parts.Length}: [{string.Join(' ', parts)}]";
            return false;
        }

        try
        {
            result = new CronSchedule(CronExpression.Parse(string.Join(' ', parts), CronFormat.Standard), zone);
            error = "";
            return true;
        }
        catch (CronFormatException e)
        {
            error = e.Message;
            return false;
        }
    }

    /// <summary>An IANA time zone by name (Go's <c>time.LoadLocation</c>; "" and "UTC" are UTC).</summary>
    public static bool TryFindZone(string name, out TimeZoneInfo? zone)
    {
        zone = null;
        if (name.Length == 0 || name == "UTC")
        {
            zone = TimeZoneInfo.Utc;
            return true;
        }

        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(name);
            return true;
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            return false;
        }
    }

    /// <summary>The first time of the schedule strictly after <paramref name="after"/>, read in <paramref name="zone"/> (the prefix's zone wins).</summary>
    public DateTimeOffset? Next(DateTimeOffset after, TimeZoneInfo zone) =>
        _expression.GetNextOccurrence(after, Zone ?? zone, inclusive: false);
}

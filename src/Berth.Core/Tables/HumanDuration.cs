using System.Globalization;

namespace Berth.Core.Tables;

/// <summary>
/// Kubernetes' <c>duration.HumanDuration</c> (apimachinery <c>pkg/util/duration/duration.go</c>): the AGE
/// format of every printer, with ~2-3 significant figures (<c>45s</c>, <c>5m10s</c>, <c>25m</c>, <c>3h4m</c>,
/// <c>30h</c>, <c>3d4h</c>, <c>12d</c>, <c>2y30d</c>, <c>9y</c>).
/// </summary>
public static class HumanDuration
{
    private const long TicksPerSecond = TimeSpan.TicksPerSecond;
    private const long TicksPerMinute = TimeSpan.TicksPerMinute;
    private const long TicksPerHour = TimeSpan.TicksPerHour;

    public static string Format(TimeSpan d)
    {
        // Go truncates toward zero; up to 2s in the future is tolerated as clock skew and shown as "0s".
        var seconds = d.Ticks / TicksPerSecond;
        if (seconds < -1)
        {
            return "<invalid>";
        }

        if (seconds < 0)
        {
            return "0s";
        }

        if (seconds < 60 * 2)
        {
            return Invariant($"{seconds}s");
        }

        var minutes = d.Ticks / TicksPerMinute;
        if (minutes < 10)
        {
            var s = seconds % 60;
            return s == 0 ? Invariant($"{minutes}m") : Invariant($"{minutes}m{s}s");
        }

        if (minutes < 60 * 3)
        {
            return Invariant($"{minutes}m");
        }

        var hours = d.Ticks / TicksPerHour;
        if (hours < 8)
        {
            var m = minutes % 60;
            return m == 0 ? Invariant($"{hours}h") : Invariant($"{hours}h{m}m");
        }

        if (hours < 48)
        {
            return Invariant($"{hours}h");
        }

        if (hours < 24 * 8)
        {
            var h = hours % 24;
            return h == 0 ? Invariant($"{hours / 24}d") : Invariant($"{hours / 24}d{h}h");
        }

        if (hours < 24 * 365 * 2)
        {
            return Invariant($"{hours / 24}d");
        }

        if (hours < 24 * 365 * 8)
        {
            var dy = hours / 24 % 365;
            return dy == 0 ? Invariant($"{hours / 24 / 365}y") : Invariant($"{hours / 24 / 365}y{dy}d");
        }

        return Invariant($"{hours / 24 / 365}y");
    }

    /// <summary>
    /// <c>translateTimestampSince</c> of printers.go: the age of <paramref name="timestamp"/> at
    /// <paramref name="now"/>, or <c>&lt;unknown&gt;</c> when it is unset.
    /// </summary>
    public static string Since(DateTime? timestamp, DateTimeOffset now)
    {
        if (timestamp is not { } t || t == default)
        {
            return "<unknown>";
        }

        var utc = t.Kind switch
        {
            DateTimeKind.Local => t.ToUniversalTime(),
            DateTimeKind.Unspecified => DateTime.SpecifyKind(t, DateTimeKind.Utc),
            _ => t,
        };
        return Format(now.UtcDateTime - utc);
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}

using System.Globalization;

namespace Berth.Agnhost.Go;

/// <summary>
/// Go's <c>time.ParseDuration</c> (a signed sequence of decimal numbers with units ns, us, µs, ms, s, m, h), which
/// netexec's <c>/exit?timeout=&amp;wait=</c> take. Precision is TimeSpan's (100 ns).
/// </summary>
internal static class GoDuration
{
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var s = text.AsSpan();
        var negative = false;
        if (s.Length > 0 && (s[0] == '-' || s[0] == '+'))
        {
            negative = s[0] == '-';
            s = s[1..];
        }

        if (s is "0")
        {
            return true;
        }

        if (s.IsEmpty)
        {
            return false;
        }

        decimal totalNanoseconds = 0;
        while (!s.IsEmpty)
        {
            var digits = 0;
            while (digits < s.Length && (char.IsAsciiDigit(s[digits]) || s[digits] == '.'))
            {
                digits++;
            }

            var number = s[..digits];
            if (number.IsEmpty || number is "." || number.IndexOf('.') != number.LastIndexOf('.')
                || !decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
            {
                return false;
            }

            s = s[digits..];
            var unitLength = 0;
            while (unitLength < s.Length && s[unitLength] != '.' && !char.IsAsciiDigit(s[unitLength]))
            {
                unitLength++;
            }

            decimal? unit = s[..unitLength] switch
            {
                "ns" => 1m,
                "us" or "µs" or "μs" => 1_000m,
                "ms" => 1_000_000m,
                "s" => 1_000_000_000m,
                "m" => 60_000_000_000m,
                "h" => 3_600_000_000_000m,
                _ => null,
            };
            if (unit is null)
            {
                return false;
            }

            s = s[unitLength..];
            totalNanoseconds += value * unit.Value;
        }

        // Go's Duration is an int64 of nanoseconds.
        if (totalNanoseconds > long.MaxValue)
        {
            return false;
        }

        var ticks = (long)(totalNanoseconds / 100m);
        duration = TimeSpan.FromTicks(negative ? -ticks : ticks);
        return true;
    }

    /// <summary>Go's <c>Duration.String</c> for the values netexec logs (e.g. <c>0s</c>, <c>1.5s</c>, <c>2m0s</c>).</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration == TimeSpan.Zero)
        {
            return "0s";
        }

        var sign = duration < TimeSpan.Zero ? "-" : string.Empty;
        var d = duration.Duration();
        if (d < TimeSpan.FromSeconds(1))
        {
            var ns = d.Ticks * 100;
            return ns switch
            {
                < 1_000 => sign + ns.ToString(CultureInfo.InvariantCulture) + "ns",
                < 1_000_000 => sign + Trim(ns / 1_000m) + "µs",
                _ => sign + Trim(ns / 1_000_000m) + "ms",
            };
        }

        var hours = (long)d.TotalHours;
        var seconds = Trim((decimal)d.Ticks / TimeSpan.TicksPerSecond % 60m);
        if (hours > 0)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{sign}{hours}h{d.Minutes}m{seconds}s");
        }

        return d.Minutes > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{sign}{d.Minutes}m{seconds}s")
            : sign + seconds + "s";
    }

    private static string Trim(decimal value) => value.ToString("0.#########", CultureInfo.InvariantCulture);
}

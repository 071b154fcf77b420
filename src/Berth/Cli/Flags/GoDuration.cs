using System.Globalization;
using System.Text.RegularExpressions;

namespace Berth.Cli.Flags;

/// <summary>
/// Durations as Kubernetes flags write them (Go's <c>time.ParseDuration</c>: <c>40s</c>, <c>1m30s</c>, <c>500ms</c>, and
/// <c>0</c> without a unit). Negative durations are not accepted: no flag of Berth means one.
/// </summary>
internal static partial class GoDuration
{
    /// <summary>The duration <paramref name="text"/> names, or null when it is not one.</summary>
    public static TimeSpan? TryParse(string text)
    {
        if (text == "0")
        {
            return TimeSpan.Zero;
        }

        var matches = Part().Matches(text);
        if (text.Length == 0 || matches.Sum(m => m.Length) != text.Length)
        {
            return null;
        }

        var total = TimeSpan.Zero;
        foreach (Match m in matches)
        {
            var value = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            total += m.Groups[2].Value switch
            {
                "h" => TimeSpan.FromHours(value),
                "m" => TimeSpan.FromMinutes(value),
                "s" => TimeSpan.FromSeconds(value),
                "ms" => TimeSpan.FromMilliseconds(value),
                "us" or "µs" => TimeSpan.FromMicroseconds(value),
                _ => TimeSpan.FromTicks((long)(value / 100)),
            };
        }

        return total;
    }

    [GeneratedRegex(@"([0-9]+(?:\.[0-9]*)?)(h|ms|m|s|us|µs|ns)")]
    private static partial Regex Part();
}

using System.Globalization;
using System.Text.RegularExpressions;

namespace Berth.Cli;

/// <summary>Durations as Kubernetes flags write them (Go's <c>time.ParseDuration</c>: <c>40s</c>, <c>1m30s</c>, <c>500ms</c>).</summary>
internal static partial class GoDuration
{
    public static TimeSpan Parse(string flag, string text)
    {
        var matches = Part().Matches(text);
        if (text.Length == 0 || matches.Sum(m => m.Length) != text.Length)
        {
            throw new UsageException($"--{flag}: not a duration (like 40s, 1m30s, 500ms): {text}");
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

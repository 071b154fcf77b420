using System.Globalization;
using System.Text;

namespace Berth.Controllers.Jobs;

/// <summary>
/// <c>status.completedIndexes</c> of an Indexed Job: sorted, de-duplicated indexes rendered as intervals
/// (<c>1,3-5,7</c>), as upstream <c>pkg/controller/job/indexed_job_utils.go</c> writes them.
/// </summary>
internal static class CompletedIndexes
{
    /// <summary>The indexes below <paramref name="completions"/> named by <paramref name="text"/>; malformed parts are skipped.</summary>
    public static SortedSet<int> Parse(string? text, int completions)
    {
        var set = new SortedSet<int>();
        foreach (var part in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var dash = part.IndexOf('-', StringComparison.Ordinal);
            var (first, last) = dash < 0 ? (part, part) : (part[..dash], part[(dash + 1)..]);
            if (!int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var from)
                || !int.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var to))
            {
                continue;
            }

            for (var i = from; i <= to && i < completions; i++)
            {
                set.Add(i);
            }
        }

        return set;
    }

    /// <summary>The interval rendering of <paramref name="indexes"/> (sorted ascending), or null when there are none.</summary>
    public static string? Format(IEnumerable<int> indexes)
    {
        var text = new StringBuilder();
        int? start = null;
        var previous = -2;
        foreach (var i in indexes)
        {
            if (start is not null && i == previous + 1)
            {
                previous = i;
                continue;
            }

            Append(text, start, previous);
            start = i;
            previous = i;
        }

        Append(text, start, previous);
        return text.Length == 0 ? null : text.ToString();
    }

    private static void Append(StringBuilder text, int? start, int end)
    {
        if (start is not { } s)
        {
            return;
        }

        if (text.Length > 0)
        {
            text.Append(',');
        }

        text.Append(s.ToString(CultureInfo.InvariantCulture));
        if (end != s)
        {
            text.Append('-').Append(end.ToString(CultureInfo.InvariantCulture));
        }
    }
}

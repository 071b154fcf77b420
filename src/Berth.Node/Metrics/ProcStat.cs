using System.Globalization;

namespace Berth.Node.Metrics;

/// <summary>The fields of <c>/proc/&lt;pid&gt;/stat</c> and <c>/proc/stat</c> the resource figures need (proc(5)).</summary>
internal static class ProcStat
{
    /// <summary>
    /// The kernel reports CPU times in USER_HZ ticks, which is 100 on every Linux architecture .NET runs on
    /// (include/asm-generic/param.h); <c>sysconf(_SC_CLK_TCK)</c> says the same.
    /// </summary>
    public const double TicksPerSecond = 100;

    /// <summary>
    /// Session id and CPU ticks of one process from its <c>stat</c> line: <c>utime + stime + cutime + cstime</c>, so the
    /// time of children it has already reaped stays counted (a shell loop's short-lived commands) and the sum over a
    /// process tree only grows. Null for a line that does not parse.
    /// </summary>
    public static (int Session, long Ticks)? ParseProcess(string line)
    {
        // "pid (comm) state ppid pgrp session …": comm may hold spaces and parentheses, so split after the last ')'.
        var close = line.LastIndexOf(')');
        if (close < 0)
        {
            return null;
        }

        var fields = line[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // fields[0] is field 3 (state): session is field 6, utime..cstime are fields 14..17.
        if (fields.Length < 15 || !int.TryParse(fields[3], NumberStyles.None, CultureInfo.InvariantCulture, out var session))
        {
            return null;
        }

        long ticks = 0;
        for (var i = 11; i <= 14; i++)
        {
            if (!long.TryParse(fields[i], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var t))
            {
                return null;
            }

            ticks += t;
        }

        return (session, ticks);
    }

    /// <summary>
    /// The node's busy ticks from the <c>cpu</c> line of <c>/proc/stat</c>: everything but idle and iowait (guest time
    /// is already inside user and nice). Null when the line is missing.
    /// </summary>
    public static long? ParseNodeBusyTicks(IEnumerable<string> stat)
    {
        ArgumentNullException.ThrowIfNull(stat);
        var line = stat.FirstOrDefault(l => l.StartsWith("cpu ", StringComparison.Ordinal));
        if (line is null)
        {
            return null;
        }

        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(f => long.TryParse(f, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0)
            .ToArray();
        // user nice system idle iowait irq softirq steal [guest guest_nice]
        long busy = 0;
        for (var i = 0; i < Math.Min(fields.Length, 8); i++)
        {
            if (i is not (3 or 4))
            {
                busy += fields[i];
            }
        }

        return busy;
    }

    /// <summary>The <c>Pss:</c> line of <c>/proc/&lt;pid&gt;/smaps_rollup</c> in bytes; null when absent.</summary>
    public static long? ParsePssBytes(IEnumerable<string> smapsRollup)
    {
        ArgumentNullException.ThrowIfNull(smapsRollup);
        var ki = Registration.HostFacts.MeminfoKi(smapsRollup, "Pss");
        return ki > 0 ? ki * 1024 : null;
    }
}

using System.Globalization;
using Berth.Core.Metrics;

namespace Berth.Node.Metrics;

/// <summary>
/// Reads <c>/proc</c> for the resource figures of the node and of container process trees. A container's processes
/// are its session: the launcher starts every container as a session leader (<c>setsid</c>), so each process it
/// forks shares its session id — whatever it reparents to.
/// </summary>
/// <remarks>
/// Working set: the sum of the processes' PSS (<c>smaps_rollup</c>), so pages shared between them are counted once
/// overall; RSS (<c>statm</c>) where smaps is not readable. Kubernetes reports the cgroup's working set (usage minus
/// inactive file pages), which also counts the page cache a container dirties; host processes have no cgroup of their
/// own here. The node's working set is <c>MemTotal − MemAvailable</c>.
/// </remarks>
internal sealed class ProcessTreeUsage(string procRoot = "/proc")
{
    /// <summary>Reads every process once: session id → (CPU ticks, pids).</summary>
    public IReadOnlyDictionary<int, (long Ticks, List<int> Pids)> ReadSessions()
    {
        var sessions = new Dictionary<int, (long Ticks, List<int> Pids)>();
        foreach (var dir in Directory.EnumerateDirectories(procRoot))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                || ReadFirstLine(Path.Combine(dir, "stat")) is not { } line
                || ProcStat.ParseProcess(line) is not { } process)
            {
                continue; // not a process, or one that ended while we looked
            }

            if (!sessions.TryGetValue(process.Session, out var entry))
            {
                entry = (0, []);
            }

            entry.Pids.Add(pid);
            sessions[process.Session] = (entry.Ticks + process.Ticks, entry.Pids);
        }

        return sessions;
    }

    /// <summary>The session's CPU seconds and working set; null when no process of it is left.</summary>
    public UsageReading? Session(IReadOnlyDictionary<int, (long Ticks, List<int> Pids)> sessions, int leader)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        if (!sessions.TryGetValue(leader, out var session))
        {
            return null;
        }

        long bytes = 0;
        foreach (var pid in session.Pids)
        {
            bytes += WorkingSetBytes(pid);
        }

        return new UsageReading(session.Ticks / ProcStat.TicksPerSecond, bytes);
    }

    /// <summary>The node's busy CPU seconds and <c>MemTotal − MemAvailable</c>; null when /proc cannot tell.</summary>
    public UsageReading? Node()
    {
        var stat = ReadLines(Path.Combine(procRoot, "stat"));
        var meminfo = ReadLines(Path.Combine(procRoot, "meminfo"));
        if (ProcStat.ParseNodeBusyTicks(stat) is not { } busy)
        {
            return null;
        }

        var used = Registration.HostFacts.MeminfoKi(meminfo, "MemTotal") - Registration.HostFacts.MeminfoKi(meminfo, "MemAvailable");
        return new UsageReading(busy / ProcStat.TicksPerSecond, Math.Max(0, used) * 1024);
    }

    private long WorkingSetBytes(int pid)
    {
        var dir = Path.Combine(procRoot, pid.ToString(CultureInfo.InvariantCulture));
        if (ProcStat.ParsePssBytes(ReadLines(Path.Combine(dir, "smaps_rollup"))) is { } pss)
        {
            return pss;
        }

        // statm: size resident shared … in pages.
        var statm = ReadFirstLine(Path.Combine(dir, "statm"))?.Split(' ');
        return statm is { Length: > 1 } && long.TryParse(statm[1], NumberStyles.None, CultureInfo.InvariantCulture, out var pages)
            ? pages * Environment.SystemPageSize
            : 0;
    }

    private static string? ReadFirstLine(string path)
    {
        try
        {
            using var reader = new StreamReader(path);
            return reader.ReadLine();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string[] ReadLines(string path)
    {
        try
        {
            return File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}

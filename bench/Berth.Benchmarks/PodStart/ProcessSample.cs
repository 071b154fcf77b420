using System.Globalization;

namespace Berth.Benchmarks.PodStart;

/// <summary>
/// A process's memory, threads and CPU time from /proc: VmRSS and Threads of <c>status</c>, Pss of <c>smaps_rollup</c>,
/// utime + stime of <c>stat</c>. CPU time per pod is robust when other work loads the machine; wall times are not.
/// </summary>
internal sealed record ProcessSample(long RssKiB, long PssKiB, int Threads, double CpuMs)
{
    /// <summary>Clock ticks per second of /proc/PID/stat (USER_HZ, 100 on Linux).</summary>
    private const double TicksPerSecond = 100;

    public static ProcessSample Read(int pid)
    {
        var status = File.ReadAllLines($"/proc/{pid}/status");
        var rollup = File.ReadAllLines($"/proc/{pid}/smaps_rollup");
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' '); // fields from the 3rd (state) on
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture); // utime, stime
        return new ProcessSample(Field(status, "VmRSS:"), Field(rollup, "Pss:"), (int)Field(status, "Threads:"), ticks * 1000 / TicksPerSecond);
    }

    public string Describe() => string.Create(CultureInfo.InvariantCulture, $"rss_mib={RssKiB / 1024.0:F1} pss_mib={PssKiB / 1024.0:F1} threads={Threads}");

    private static long Field(string[] lines, string name)
    {
        var line = lines.First(l => l.StartsWith(name, StringComparison.Ordinal));
        return long.Parse(line[name.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }
}

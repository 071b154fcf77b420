using System.Globalization;

namespace Berth.Benchmarks.PodStart;

/// <summary>A process's memory and threads from /proc: VmRSS and Threads of <c>status</c>, Pss of <c>smaps_rollup</c>.</summary>
internal sealed record ProcessMemory(long RssKiB, long PssKiB, int Threads)
{
    public static ProcessMemory Read(int pid)
    {
        var status = File.ReadAllLines($"/proc/{pid}/status");
        var rollup = File.ReadAllLines($"/proc/{pid}/smaps_rollup");
        return new ProcessMemory(Field(status, "VmRSS:"), Field(rollup, "Pss:"), (int)Field(status, "Threads:"));
    }

    public string Describe() => string.Create(CultureInfo.InvariantCulture, $"rss_mib={RssKiB / 1024.0:F1} pss_mib={PssKiB / 1024.0:F1} threads={Threads}");

    private static long Field(string[] lines, string name)
    {
        var line = lines.First(l => l.StartsWith(name, StringComparison.Ordinal));
        return long.Parse(line[name.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }
}

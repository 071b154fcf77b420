using Berth.Node.Metrics;

namespace Berth.Node.Tests.Metrics;

public sealed class ProcStatTests
{
    [Fact]
    public void ParseProcess_CommWithSpacesAndParentheses_ReadsSessionAndAllFourTimes()
    {
        const string line = "4242 (my (odd) cmd) S 1 4242 4240 0 -1 4194560 100 0 0 0 150 50 7 3 20 0 1 0 12345 1000000 200 18446744073709551615";

        var parsed = ProcStat.ParseProcess(line);

        Assert.Equal((4240, 150L + 50 + 7 + 3), parsed);
    }

    [Fact]
    public void ParseProcess_Truncated_IsNull()
    {
        Assert.Null(ProcStat.ParseProcess("17 (sh) S 1 17"));
    }

    [Fact]
    public void ParseNodeBusyTicks_LeavesOutIdleAndIowait()
    {
        string[] stat = ["cpu  100 20 30 1000 400 5 6 7 50 0", "cpu0 1 2 3 4 5 6 7 8 9 10"];

        Assert.Equal(100L + 20 + 30 + 5 + 6 + 7, ProcStat.ParseNodeBusyTicks(stat));
    }

    [Fact]
    public void ParsePssBytes_ReadsKilobytes()
    {
        string[] rollup = ["00400000-7ffd00000000 ---p 00000000 00:00 0    [rollup]", "Rss:                2048 kB", "Pss:                1024 kB"];

        Assert.Equal(1024L * 1024, ProcStat.ParsePssBytes(rollup));
    }

    [Fact]
    public void ProcessTreeUsage_OwnSession_CountsThisProcessesCpuAndMemory()
    {
        var proc = new ProcessTreeUsage();
        var sessions = proc.ReadSessions();
        var own = File.ReadAllText("/proc/self/stat");
        var session = ProcStat.ParseProcess(own)!.Value.Session;

        var usage = proc.Session(sessions, session);
        var node = proc.Node();

        Assert.NotNull(usage);
        Assert.True(usage.CpuSeconds > 0);
        Assert.True(usage.MemoryWorkingSetBytes > 0);
        Assert.NotNull(node);
        Assert.True(node.MemoryWorkingSetBytes > 0);
    }
}

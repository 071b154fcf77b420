using System.Diagnostics;

namespace Berth.Tests.Infrastructure;

/// <summary>Process facts from /proc.</summary>
public static class Processes
{
    /// <summary>Whether <paramref name="pid"/> is a live (not zombie) process.</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    public static async Task WaitGoneAsync(int pid, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (IsAlive(pid))
        {
            Assert.True(watch.Elapsed < timeout, $"process {pid} is still alive after {timeout}");
            await Task.Delay(50);
        }
    }

    /// <summary>The pid of a container from its <c>containerID</c> (<c>berth://PID</c>).</summary>
    public static int FromContainerId(string containerId)
    {
        Assert.StartsWith("berth://", containerId, StringComparison.Ordinal);
        return int.Parse(containerId["berth://".Length..], System.Globalization.CultureInfo.InvariantCulture);
    }
}

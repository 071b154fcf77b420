using System.Diagnostics;
using Berth.Node.Runtime;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Node.Tests.Runtime;

public sealed class ProcessLauncherTests
{
    private static readonly string _tmp = Path.GetTempPath();

    [Fact]
    public async Task Launch_RunsInItsOwnProcessGroup_WithOnlyTheGivenEnvironment()
    {
        await using var launcher = ProcessLauncher.Start(NullLogger.Instance);
        var process = launcher.Launch(new ProcessSpec
        {
            FileName = "sh",
            Arguments = ["-c", "echo pgid=$(cut -d' ' -f5 /proc/$$/stat) pid=$$; echo FOO=$FOO; env | grep -c HOME || true"],
            Environment = [new("FOO", "bar")],
            WorkingDirectory = _tmp,
        });

        var output = await new StreamReader(process.StandardOutput).ReadToEndAsync();
        Assert.Equal(0, await process.Exited);
        Assert.Contains($"pgid={process.Pid} pid={process.Pid}", output, StringComparison.Ordinal);
        Assert.Contains("FOO=bar", output, StringComparison.Ordinal);
        Assert.EndsWith("0\n", output, StringComparison.Ordinal); // HOME of the agent is not inherited
    }

    [Fact]
    public async Task Exited_ReportsExitCodeAndSignal()
    {
        await using var launcher = ProcessLauncher.Start(NullLogger.Instance);
        var three = launcher.Launch(new ProcessSpec { FileName = "sh", Arguments = ["-c", "exit 3"], WorkingDirectory = _tmp });
        Assert.Equal(3, await three.Exited);

        var sleeper = launcher.Launch(new ProcessSpec { FileName = "sleep", Arguments = ["60"], WorkingDirectory = _tmp });
        Assert.True(sleeper.Signal(Signals.Terminate));
        Assert.Equal(128 + Signals.Terminate, await sleeper.Exited);
    }

    [Fact]
    public async Task MainProcessExit_KillsWhatItLeftInItsGroup()
    {
        await using var launcher = ProcessLauncher.Start(NullLogger.Instance);
        var process = launcher.Launch(new ProcessSpec
        {
            FileName = "sh",
            Arguments = ["-c", "sleep 300 >/dev/null 2>&1 & echo $!"],
            WorkingDirectory = _tmp,
        });

        var child = int.Parse((await new StreamReader(process.StandardOutput).ReadLineAsync())!, System.Globalization.CultureInfo.InvariantCulture);
        await process.Exited;
        await WaitGoneAsync(child);
    }

    [Fact]
    public async Task Dispose_KillsEveryGroupStillRunning()
    {
        var launcher = ProcessLauncher.Start(NullLogger.Instance);
        var process = launcher.Launch(new ProcessSpec { FileName = "sleep", Arguments = ["300"], WorkingDirectory = _tmp });
        var reaper = launcher.ReaperPid;

        await launcher.DisposeAsync();

        Assert.Equal(128 + Signals.Kill, await process.Exited.WaitAsync(TimeSpan.FromSeconds(10)));
        await WaitGoneAsync(reaper);
    }

    [Fact]
    public async Task Launch_MissingExecutable_FailsWithTheKubeletMessage()
    {
        await using var launcher = ProcessLauncher.Start(NullLogger.Instance);
        var e = Assert.Throws<ProcessStartException>(() => launcher.Launch(new ProcessSpec { FileName = "no-such-binary-berth", WorkingDirectory = _tmp }));
        Assert.Equal("exec: \"no-such-binary-berth\": executable file not found in $PATH", e.Message);
    }

    private static async Task WaitGoneAsync(int pid)
    {
        var deadline = Stopwatch.StartNew();
        while (File.Exists($"/proc/{pid}/stat") && !IsZombie(pid))
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(10), $"process {pid} is still alive");
            await Task.Delay(20);
        }
    }

    private static bool IsZombie(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (IOException)
        {
            return true;
        }
    }
}

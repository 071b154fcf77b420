using System.Text.RegularExpressions;
using Berth.ApiServer.Tests.Infrastructure;
using Berth.Tests.Infrastructure;

namespace Berth.Tests;

/// <summary>
/// Any stop at any moment ends cleanly (issue 11 item 8): SIGTERM or SIGINT to <c>berth up</c> after each line of its
/// start — while a pod of the data directory starts again with it — and while a new pod starts, each time ending with
/// exit code 0, no stack trace and no process of the pod left. The moments are spread by the output lines seen.
/// </summary>
public sealed partial class StopTests
{
    /// <summary>
    /// A pod whose start takes a while (an init container sleeps), marked in its environment so that every process it
    /// ever ran can be found in /proc.
    /// </summary>
    private static string Pod(string name, string marker) => $$"""
        apiVersion: v1
        kind: Pod
        metadata:
          name: {{name}}
        spec:
          terminationGracePeriodSeconds: 2
          initContainers:
          - name: init
            image: busybox
            command: ["sh", "-c", "sleep 1"]
            env:
            - {name: BERTH_STOP_TEST, value: "{{marker}}"}
          containers:
          - name: main
            image: busybox
            command: ["sh", "-c", "sleep 3600 & wait"]
            env:
            - {name: BERTH_STOP_TEST, value: "{{marker}}"}
        """;

    [GeneratedRegex(@"^\s+at \S", RegexOptions.Multiline)]
    private static partial Regex StackFrame();

    [Fact]
    public async Task Up_StoppedAfterEachLineOfItsStart_WhileItsPodStartsAgain_ExitsZeroWithNoStackAndNoPodProcess()
    {
        using var block = AddressBlock.Claim();
        var dataDir = Cluster.NewDataDir();
        var marker = Guid.NewGuid().ToString("N");
        try
        {
            // A first run leaves a pod in the store; every later start starts it again (where the stop once crashed).
            int startLines;
            await using (var first = await BerthCommand.StartAsync(dataDir, BerthCommand.ReadyText, Cluster.UpArgs(dataDir, block)))
            {
                startLines = first.Output.Split('\n').TakeWhile(l => !l.Contains(BerthCommand.ReadyText, StringComparison.Ordinal)).Count() + 1;
                var kubectl = new Kubectl(first.KubeconfigPath, dataDir);
                await ApplyAsync(kubectl, dataDir, Pod("slow", marker));
                await AssertStopsCleanlyAsync(first, marker, "TERM", afterLine: startLines);
            }

            for (var line = 1; line <= startLines + 2; line++)
            {
                await using var berth = BerthCommand.Start(dataDir, Cluster.UpArgs(dataDir, block));
                await AssertStopsCleanlyAsync(berth, marker, line % 2 == 0 ? "INT" : "TERM", afterLine: line);
            }
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task Up_StoppedWhileNewPodsStart_ExitsZeroWithNoStackAndNoPodProcess()
    {
        var marker = Guid.NewGuid().ToString("N");
        for (var moment = 0; moment < 3; moment++)
        {
            await using var cluster = await Cluster.UpAsync();
            await ApplyAsync(cluster.Kubectl, cluster.DataDir, Pod("slow", marker));
            if (moment >= 1)
            {
                // The pod is bound and its init container runs (1), or its main container runs (2).
                await cluster.KubectlUntilAsync(o => o.Length > 0, TimeSpan.FromSeconds(30), "get", "pod", "slow", "-o",
                    moment == 1 ? "jsonpath={.status.initContainerStatuses[0].state.running.startedAt}" : "jsonpath={.status.containerStatuses[0].state.running.startedAt}");
            }

            await AssertStopsCleanlyAsync(cluster.Berth, marker, "TERM", afterLine: 0);
        }
    }

    /// <summary>Waits for <paramref name="afterLine"/> lines, sends the signal, and checks how berth ended.</summary>
    private static async Task AssertStopsCleanlyAsync(BerthCommand berth, string marker, string signal, int afterLine)
    {
        await berth.WaitForLinesAsync(afterLine, TimeSpan.FromSeconds(60));

        berth.Signal(signal);
        int? exit;
        try
        {
            exit = await berth.WaitForExitAsync(TimeSpan.FromSeconds(60));
        }
        catch (OperationCanceledException)
        {
            exit = null;
        }

        var context = $"SIG{signal} after line {afterLine}:\n{berth.Output}";
        Assert.True(exit is not null, $"still running 60 s after the signal; {context}");
        Assert.True(exit == 0, $"exit code {exit}; {context}");
        Assert.DoesNotContain("Unhandled exception", berth.Output, StringComparison.Ordinal);
        Assert.DoesNotMatch(StackFrame(), berth.Output);
        Assert.Contains("berth: stopping", berth.Output, StringComparison.Ordinal);
        Assert.True(PodProcesses(marker).Count == 0, $"pod processes left: {string.Join(", ", PodProcesses(marker))}; {context}");
    }

    /// <summary>The live processes whose environment carries <paramref name="marker"/>.</summary>
    private static List<int> PodProcesses(string marker)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || !Processes.IsAlive(pid))
            {
                continue;
            }

            try
            {
                if (File.ReadAllText(Path.Combine(dir, "environ")).Contains("BERTH_STOP_TEST=" + marker, StringComparison.Ordinal))
                {
                    found.Add(pid);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone meanwhile, or not ours to read.
            }
        }

        return found;
    }

    private static async Task ApplyAsync(Kubectl kubectl, string dataDir, string manifest)
    {
        var file = Path.Combine(dataDir, Guid.NewGuid().ToString("N") + ".yaml");
        await File.WriteAllTextAsync(file, manifest);
        await kubectl.OkAsync("apply", "-f", file);
    }
}

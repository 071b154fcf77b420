using System.Diagnostics;
using System.Text;
using k8s;

namespace Berth.Node.Tests.Streams;

[Collection(StreamsCollection.Name)]
public sealed class ExecTests(StreamsCluster cluster)
{
    private async Task<string> RunningPodAsync(string name)
    {
        var container = cluster.Start("main", ["sleep", "300"], [new("PATH", Berth.Node.Runtime.ProcessLauncher.DefaultPath), new("GREETING", "hello from " + name), new("MY_SERVICE_HOST", "127.96.0.10")]);
        await cluster.AddPodAsync(name, cluster.NextPodIp(), null, null, container);
        return name;
    }

    [Fact]
    public async Task KubectlExecEnv_ShowsTheContainerEnvironment()
    {
        var pod = await RunningPodAsync("exec-env");

        var output = await cluster.Kubectl.OkAsync("exec", pod, "--", "env");

        Assert.Contains("GREETING=hello from exec-env\n", output, StringComparison.Ordinal);
        Assert.Contains("MY_SERVICE_HOST=127.96.0.10\n", output, StringComparison.Ordinal);
        Assert.DoesNotContain("HOME=", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KubectlExec_NonZeroExit_PropagatesTheCode()
    {
        var pod = await RunningPodAsync("exec-exit");

        var result = await cluster.Kubectl.RunAsync(["exec", pod, "--", "sh", "-c", "echo out; echo err >&2; exit 3"]);

        Assert.Equal(3, result.ExitCode);
        Assert.Equal("out\n", result.Stdout);
        Assert.Contains("err\n", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("command terminated with exit code 3", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KubectlExecStdin_ReachesTheProcessAndEndsWithEof()
    {
        var pod = await RunningPodAsync("exec-stdin");

        var result = await cluster.Kubectl.RunAsync(["exec", "-i", pod, "--", "cat"], stdin: "hi\nthere\n");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("hi\nthere\n", result.Stdout);
    }

    [Fact]
    public async Task KubectlExecTty_RunsOnATerminal()
    {
        var pod = await RunningPodAsync("exec-tty");
        var kubectl = cluster.Kubectl.StartInfo("exec", "-it", pod, "--", "sh", "-c", "tty; stty size; exit 4");
        var line = string.Join(' ', kubectl.ArgumentList.Select(a => "'" + a.Replace("'", "'\\''", StringComparison.Ordinal) + "'"));
        var info = new ProcessStartInfo("script") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var a in new[] { "-qec", "stty cols 91 rows 27; KUBECONFIG=" + kubectl.Environment["KUBECONFIG"] + " HOME=" + kubectl.Environment["HOME"] + " kubectl " + line, "/dev/null" })
        {
            info.ArgumentList.Add(a);
        }

        using var script = Process.Start(info)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var output = script.StandardOutput.ReadToEndAsync(timeout.Token);
        try
        {
            await script.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!script.HasExited)
            {
                script.Kill(entireProcessTree: true);
            }
        }

        var text = await output;
        Assert.Contains("/dev/pts/", text, StringComparison.Ordinal);
        Assert.Contains("27 91", text, StringComparison.Ordinal);
        Assert.Equal(4, script.ExitCode);
    }

    [Fact]
    public async Task CSharpExec_ReturnsExitCodeAndEnvironment()
    {
        var pod = await RunningPodAsync("exec-csharp");
        var stdout = new StringBuilder();

        var env = await cluster.Client.NamespacedPodExecAsync(pod, "default", "main", ["env"], false, async (_, output, _) =>
        {
            stdout.Append(await new StreamReader(output).ReadToEndAsync());
        }, CancellationToken.None);
        var three = await cluster.Client.NamespacedPodExecAsync(pod, "default", "main", ["sh", "-c", "exit 3"], false, (_, _, _) => Task.CompletedTask, CancellationToken.None);

        Assert.Equal(0, env);
        Assert.Contains("GREETING=hello from exec-csharp", stdout.ToString(), StringComparison.Ordinal);
        Assert.Equal(3, three);
    }

    // The C# client's StreamDemuxer writes a large stdin buffer in 15 MiB frames, each starting with the channel byte and
    // all but the last sent as continuations (as its copy-to-pod does): each frame must reach stdin as its own message,
    // channel byte stripped, under the kubelet's 32 MiB frame limit. v4 (the client's protocol) cannot close stdin, so
    // the process reads exactly the bytes sent.
    [Fact]
    public async Task CSharpExecStdin_40MiBIn15MiBFrames_ReachesTheProcessWholeAndTheCloseFollows()
    {
        var pod = await RunningPodAsync("exec-big-stdin");
        var data = new byte[(40 * 1024 * 1024) + 5];
        Random.Shared.NextBytes(data);
        using var socket = await cluster.Client.WebSocketNamespacedPodExecAsync(pod, "default", ["sh", "-c", $"head -c {data.Length} | wc -c"], "main", stdin: true, stdout: true, stderr: true, tty: false);
        using var demuxer = new StreamDemuxer(socket);
        demuxer.Start();
        using var stdout = new StreamReader(demuxer.GetStream(ChannelIndex.StdOut, null));
        using var status = new StreamReader(demuxer.GetStream(ChannelIndex.Error, null));
        using var stdin = demuxer.GetStream(null, ChannelIndex.StdIn);

        await Task.Run(() => stdin.Write(data, 0, data.Length));
        var output = await stdout.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(60));
        var exit = await status.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(data.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), output.Trim());
        Assert.Equal("""{"metadata":{},"status":"Success"}""", exit);
    }

    [Fact]
    public async Task KubectlExec_UnknownCommand_FailsWithTheRuntimeMessage()
    {
        var pod = await RunningPodAsync("exec-missing");

        var result = await cluster.Kubectl.RunAsync(["exec", pod, "--", "no-such-command"]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("exec: \"no-such-command\": executable file not found in $PATH", result.Stderr, StringComparison.Ordinal);
    }
}

using k8s;

namespace Berth.Node.Tests.Streams;

[Collection(StreamsCollection.Name)]
public sealed class LogsTests(StreamsCluster cluster)
{
    [Fact]
    public async Task KubectlLogs_FinishedContainer_PrintsItsOutput_TailAndTimestamps()
    {
        var container = cluster.Start("main", ["sh", "-c", "echo one; echo two; echo three"]);
        await container.Done;
        await cluster.AddPodAsync("logs-plain", null, null, null, container);

        var all = await cluster.Kubectl.OkAsync("logs", "logs-plain");
        var tail = await cluster.Kubectl.OkAsync("logs", "logs-plain", "--tail=1");
        var stamped = await cluster.Kubectl.OkAsync("logs", "logs-plain", "--timestamps");

        Assert.Equal("one\ntwo\nthree\n", all);
        Assert.Equal("three\n", tail);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z one\n", stamped);
    }

    [Fact]
    public async Task KubectlLogsFollow_StreamsUntilTheContainerExits()
    {
        var container = cluster.Start("main", ["sh", "-c", "echo a; sleep 1; echo b; sleep 1; echo c"]);
        await cluster.AddPodAsync("logs-follow", null, null, null, container);

        var started = DateTime.UtcNow;
        var output = await cluster.Kubectl.OkAsync("logs", "-f", "logs-follow");

        Assert.Equal("a\nb\nc\n", output);
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromSeconds(1.5), "follow ended before the container did");
    }

    [Fact]
    public async Task KubectlLogs_PreviousAndSince_ReadTheRightRecords()
    {
        var container = cluster.Start("main", ["sh", "-c", "echo now"]);
        await container.Done;
        container.AddPreviousRun(
            TestContainer.CriLine(DateTimeOffset.UtcNow.AddHours(-2), "stdout", "before the crash, "),
            TestContainer.CriLine(DateTimeOffset.UtcNow.AddHours(-2), "stdout", "partly", partial: true),
            TestContainer.CriLine(DateTimeOffset.UtcNow.AddHours(-2), "stdout", " joined"));
        var old = TestContainer.CriLine(DateTimeOffset.UtcNow.AddHours(-3), "stdout", "ancient");
        await File.WriteAllTextAsync(container.LogPath, old + "\n" + await File.ReadAllTextAsync(container.LogPath));
        await cluster.AddPodAsync("logs-previous", null, null, null, container);

        var previous = await cluster.Kubectl.OkAsync("logs", "logs-previous", "-p");
        var since = await cluster.Kubectl.OkAsync("logs", "logs-previous", "--since=1h");
        var everything = await cluster.Kubectl.OkAsync("logs", "logs-previous");

        Assert.Equal("before the crash, \npartly joined\n", previous);
        Assert.Equal("now\n", since);
        Assert.Equal("ancient\nnow\n", everything);
    }

    [Fact]
    public async Task KubectlLogs_UnknownOrWaitingContainer_BadRequestLikeKubernetes()
    {
        var container = cluster.Start("main", ["true"]);
        await cluster.AddPodAsync("logs-errors", null, null, null, container);
        var waiting = await cluster.Client.CoreV1.CreateNamespacedPodAsync(
            new k8s.Models.V1Pod
            {
                Metadata = new k8s.Models.V1ObjectMeta { Name = "logs-waiting" },
                Spec = new k8s.Models.V1PodSpec { NodeName = StreamsCluster.NodeName, Containers = [new k8s.Models.V1Container { Name = "main", Image = "berth/test" }] },
            },
            "default");

        var unknown = await cluster.Kubectl.RunAsync(["logs", "logs-errors", "-c", "nope"]);
        var pending = await cluster.Kubectl.RunAsync(["logs", "logs-waiting", "--pod-running-timeout=1s"]);
        var noPrevious = await cluster.Kubectl.RunAsync(["logs", "logs-errors", "-p"]);

        Assert.NotEqual(0, unknown.ExitCode);
        Assert.Contains("container nope is not valid for pod logs-errors", unknown.Stderr, StringComparison.Ordinal);
        Assert.Contains("container \"main\" in pod \"logs-waiting\" is waiting to start: ContainerCreating", pending.Stderr, StringComparison.Ordinal);
        Assert.Contains("previous terminated container \"main\" in pod \"logs-errors\" not found", noPrevious.Stderr, StringComparison.Ordinal);
        Assert.NotNull(waiting);
    }

    [Fact]
    public async Task CSharpReadLogFollow_StreamsUntilTheContainerExits()
    {
        var container = cluster.Start("main", ["sh", "-c", "echo first; sleep 1; echo second"]);
        await cluster.AddPodAsync("logs-csharp", null, null, null, container);

        using var stream = await cluster.Client.CoreV1.ReadNamespacedPodLogAsync("logs-csharp", "default", follow: true);
        var text = await new StreamReader(stream).ReadToEndAsync();

        Assert.Equal("first\nsecond\n", text);
    }
}

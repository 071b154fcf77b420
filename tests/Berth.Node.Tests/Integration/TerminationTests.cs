using System.Globalization;
using k8s;
using k8s.Models;

namespace Berth.Node.Tests.Integration;

[Collection(NodeCollection.Name)]
public sealed class TerminationTests(NodeFixture fixture) : IDisposable
{
    private readonly NodeFixture _fixture = fixture;
    private readonly string _dir = Pods.WritableDirectory("berth-term-");

    [Fact]
    public async Task Delete_RunsPreStop_ThenSigterm_ThenSigkillAfterTheGracePeriod()
    {
        var ns = await _fixture.NewNamespaceAsync();
        var trace = Path.Combine(_dir, "trace");

        // Traps TERM and keeps going, so only SIGKILL ends it; every line carries a timestamp.
        var script = $$"""
            trap 'echo "$(date +%s.%N) TERM" >> {{trace}}' TERM
            echo "$(date +%s.%N) start $$" >> {{trace}}
            while true; do echo "$(date +%s.%N) alive" >> {{trace}}; sleep 0.1; done
            """;
        var pod = Pods.Shell(ns, "graceful", script);
        pod.Spec.TerminationGracePeriodSeconds = 3;
        pod.Spec.Containers[0].Lifecycle = new V1Lifecycle
        {
            PreStop = new V1LifecycleHandler { Exec = new V1ExecAction { Command = ["sh", "-c", $"echo \"$(date +%s.%N) prestop\" >> {trace}; sleep 0.5"] } },
        };
        await _fixture.Client.CreateAsync(pod, CancellationToken.None);
        var running = await Pods.WaitAsync(_fixture.Client, ns, "graceful", Pods.IsReady, "ready");
        var pid = Pods.Pid(Pods.First(running)!);

        await _fixture.Kubernetes.CoreV1.DeleteNamespacedPodAsync("graceful", ns);

        await Eventually.TrueAsync(async () => await _fixture.Client.GetAsync<V1Pod>(ns, "graceful", CancellationToken.None) is null, "pod removed", TimeSpan.FromSeconds(30));
        await ProcessGroups.WaitGoneAsync(pid);
        // SIGKILL reaches the whole group at once: a `date` killed mid-line leaves a line without its timestamp.
        var lines = (await File.ReadAllLinesAsync(trace)).Select(l => l.Split(' ')).Where(l => l.Length >= 2 && l[0].Length > 0).ToList();
        var preStop = Time(lines, "prestop");
        var term = Time(lines, "TERM");
        var lastAlive = lines.Where(l => l[1] == "alive").Select(l => double.Parse(l[0], CultureInfo.InvariantCulture)).Max();
        Assert.True(preStop < term, "preStop runs before SIGTERM");
        Assert.True(lastAlive > term, "the process outlived SIGTERM, so only SIGKILL ended it");
        Assert.Single(lines, l => l[1] == "TERM");

        var events = await _fixture.Kubernetes.CoreV1.ListNamespacedEventAsync(ns);
        Assert.Contains(events.Items, e => e.Reason == "Killing" && e.Message == "Stopping container main");
    }

    private static double Time(List<string[]> lines, string what) =>
        double.Parse(lines.Single(l => l[1] == what)[0], CultureInfo.InvariantCulture);

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}

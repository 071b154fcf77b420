using System.Diagnostics;
using System.Globalization;
using k8s;
using k8s.Models;

namespace Berth.Benchmarks.PodStart;

/// <summary>
/// Issue 4's pod start latency and agent memory. Runs the real <c>berth server</c> and <c>berth agent</c> as two
/// processes (Release build of <c>src/Berth</c>), creates pods through KubernetesClient with <c>spec.nodeName</c> unset
/// (the scheduler binds them), and stamps each step from one pod watch: create request start → PodScheduled → the
/// agent's first status → phase Running → Ready=True. Two kinds of pod (<see cref="BenchPods"/>), each created at a
/// steady pace and in one burst; then <c>many</c> sleep pods at once for memory and threads.
/// Run: <c>dotnet run -c Release --project bench/Berth.Benchmarks -- pod-start [n=100] [many=500] [pace/s=10]</c>.
/// </summary>
internal static class PodStartBenchmark
{
    private const string Namespace = "bench";
    private const double GoalP99Ms = 500;

    // Kubernetes' pod startup SLO: p99 of stateless pods without image pull ≤ 5 s, measured from pod creation to all
    // containers reported started and observed by a watch (sig-scalability slos/pod_startup_latency.md).
    private const double KubernetesSloP99Ms = 5000;

    public static async Task<int> RunAsync(string[] args)
    {
        var n = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100;
        var many = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 500;
        var pace = args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 10;
        var berthDll = BerthProcess.LocateBerthDll();
        var dataDir = Path.Combine(Path.GetTempPath(), "berth-podbench-" + Guid.NewGuid().ToString("N")[..8]);
        var port = BerthProcess.FreePort();
        var octet = Random.Shared.Next(150, 200); // a pod CIDR of its own: other runs on this machine use 127.244/16
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}; berth {berthDll}");
        BerthProcess? server = null;
        BerthProcess? agent = null;
        try
        {
            server = await BerthProcess.StartAsync("server", berthDll, " ready in ",
                ["server", "--data-dir", dataDir, "--api-port", port.ToString(CultureInfo.InvariantCulture), "--cluster-cidr", $"127.{octet}.0.0/16", "--node-cidr-mask-size", "22"]);
            agent = await BerthProcess.StartAsync("agent", berthDll, " node ready in ",
                ["agent", "--server", $"https://127.0.0.1:{port}", "--token-file", Path.Combine(dataDir, "admin.token"), "--data-dir", Path.Combine(dataDir, "agent"),
                 "--node-name", "podbench", "--kubelet-port", "0", "--max-pods", "1000"]);
            using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(Path.Combine(dataDir, "kubeconfig.yaml")));
            var created = await client.CoreV1.CreateNamespaceAsync(new V1Namespace { ApiVersion = "v1", Kind = "Namespace", Metadata = new V1ObjectMeta { Name = Namespace } });
            await using var watch = new PodWatch(client, Namespace, created.Metadata.ResourceVersion);
            var run = new Runner(client, watch, agent.Pid, server.Pid);

            await Task.Delay(2000);
            var fresh = ProcessSample.Read(agent.Pid);
            Console.WriteLine($"agent (pid {agent.Pid}) after start: {fresh.Describe()}; server (pid {server.Pid}): {ProcessSample.Read(server.Pid).Describe()}");
            await run.RunAsync(BenchPods.Sleep, "warmup", 5, pace: null, report: false);

            foreach (var variant in new[] { BenchPods.Sleep, BenchPods.Agnhost })
            {
                await run.RunAsync(variant, "paced", n, pace, report: true);
                await run.RunAsync(variant, "burst", n, pace: null, report: true);
            }

            if (many > 0)
            {
                await run.RunAsync(BenchPods.Sleep, "burst", many, pace: null, report: true);
            }

            Console.WriteLine("No peer in this run: the kubelet cannot run here. Kubernetes' SLO is p99 ≤ 5 s from create to running for stateless pods without image pull; ratio_slo is Berth's p99 create→Ready over 5 s.");
            return 0;
        }
        finally
        {
            if (agent is not null)
            {
                await agent.DisposeAsync(); // SIGTERM first: the agent stops its pods
            }

            if (server is not null)
            {
                await server.DisposeAsync();
            }

            try
            {
                Directory.Delete(dataDir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private sealed class Runner(Kubernetes client, PodWatch watch, int agentPid, int serverPid)
    {
        private int _runs;

        /// <summary>Creates <paramref name="count"/> pods (<paramref name="pace"/> per second, or all at once), waits until all are Ready, reports, deletes them.</summary>
        public async Task RunAsync(string variant, string mode, int count, double? pace, bool report)
        {
            var label = $"{variant}-{mode}-{count}-{++_runs}";
            var before = ProcessSample.Read(agentPid);
            var serverBefore = ProcessSample.Read(serverPid);
            var timelines = new List<PodTimeline>();
            var creates = new List<Task>();
            var start = Stopwatch.GetTimestamp();
            for (var i = 0; i < count; i++)
            {
                if (pace is { } perSecond)
                {
                    var due = TimeSpan.FromSeconds(i / perSecond) - Stopwatch.GetElapsedTime(start);
                    if (due > TimeSpan.Zero)
                    {
                        await Task.Delay(due);
                    }
                }

                var name = $"{label}-{i}";
                var timeline = watch.Track(name);
                timelines.Add(timeline);
                creates.Add(CreateAsync(BenchPods.Create(variant, name, label), timeline));
            }

            await Task.WhenAll(creates);
            var timeout = TimeSpan.FromSeconds(60 + (count * 0.5));
            var ready = await WaitAsync(timelines, t => t.Ready, timeout);
            var allReady = Stopwatch.GetTimestamp();
            var (agentReady, serverReady) = (ProcessSample.Read(agentPid), ProcessSample.Read(serverPid));
            await Task.Delay(2000); // let the agent settle (status writes, probe loops) before reading its memory
            var with = ProcessSample.Read(agentPid);
            if (report)
            {
                Report(variant, mode, count, pace, timelines, ready, before, with);
                var seconds = Stopwatch.GetElapsedTime(start, allReady).TotalSeconds;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"RESULT cpu_ms_per_pod variant={variant} mode={mode} n={count} agent={(agentReady.CpuMs - before.CpuMs) / count:F1} server={(serverReady.CpuMs - serverBefore.CpuMs) / count:F1} (first create → last Ready, {seconds:F1} s)"));
            }

            await client.CoreV1.DeleteCollectionNamespacedPodAsync(Namespace, labelSelector: "run=" + label);
            var gone = await WaitAsync(timelines, t => t.Deleted, TimeSpan.FromSeconds(120));
            if (gone < count)
            {
                Console.Error.WriteLine($"{label}: only {gone} of {count} pods deleted within 120 s");
            }

            await Task.Delay(2000);
        }

        private void Report(string variant, string mode, int count, double? pace, List<PodTimeline> timelines, int ready, ProcessSample before, ProcessSample with)
        {
            var running = LatencySummary.Of(timelines.Select(t => PodTimeline.Between(t.Created, t.Running)));
            var readyLatency = LatencySummary.Of(timelines.Select(t => PodTimeline.Between(t.Created, t.Ready)));
            var how = pace is { } p ? string.Create(CultureInfo.InvariantCulture, $"{p:F0}/s") : "all at once";
            var inv = CultureInfo.InvariantCulture;
            Console.WriteLine($"== {variant}, {count} pods, {how}: {ready} Ready");
            Console.WriteLine(string.Create(inv, $"RESULT pod_start variant={variant} mode={mode} n={count} create_to_running_ms {running.Describe()}"));
            Console.WriteLine(string.Create(inv, $"RESULT pod_start variant={variant} mode={mode} n={count} create_to_ready_ms {readyLatency.Describe()} goal_p99={GoalP99Ms:F0} ratio_goal={readyLatency.P99 / GoalP99Ms:F2} k8s_slo_p99={KubernetesSloP99Ms:F0} ratio_slo={readyLatency.P99 / KubernetesSloP99Ms:F3}"));
            Console.WriteLine("  steps (p50 / p99 ms): create request " + Step(timelines, t => (t.Created, t.Accepted))
                + ", create→scheduled " + Step(timelines, t => (t.Created, t.Scheduled))
                + ", scheduled→agent's first status " + Step(timelines, t => (t.Scheduled, t.AgentSeen))
                + ", →Running " + Step(timelines, t => (t.AgentSeen, t.Running))
                + ", Running→Ready " + Step(timelines, t => (t.Running, t.Ready)));
            var perPodKiB = (with.RssKiB - before.RssKiB) / (double)count;
            var perPodPssKiB = (with.PssKiB - before.PssKiB) / (double)count;
            Console.WriteLine(string.Create(inv, $"RESULT agent_memory variant={variant} mode={mode} pods={count} before: {before.Describe()} with pods: {with.Describe()} per_pod_rss_kib={perPodKiB:F0} per_pod_pss_kib={perPodPssKiB:F0} goal_per_pod_kib=1024 ratio={perPodKiB / 1024:F2}"));
            Console.WriteLine($"  server (pid {serverPid}): {ProcessSample.Read(serverPid).Describe()}");
        }

        private async Task CreateAsync(V1Pod pod, PodTimeline timeline)
        {
            timeline.MarkCreated(Stopwatch.GetTimestamp());
            await client.CoreV1.CreateNamespacedPodAsync(pod, Namespace);
            timeline.MarkAccepted(Stopwatch.GetTimestamp());
        }

        private static string Step(List<PodTimeline> timelines, Func<PodTimeline, (long From, long To)> step)
        {
            var s = LatencySummary.Of(timelines.Select(t => step(t) is var (from, to) ? PodTimeline.Between(from, to) : null));
            return string.Create(CultureInfo.InvariantCulture, $"{s.P50:F0} / {s.P99:F0}");
        }

        private static async Task<int> WaitAsync(List<PodTimeline> timelines, Func<PodTimeline, long> step, TimeSpan timeout)
        {
            var deadline = Stopwatch.StartNew();
            while (timelines.Count(t => step(t) != 0) < timelines.Count && deadline.Elapsed < timeout)
            {
                await Task.Delay(50);
            }

            return timelines.Count(t => step(t) != 0);
        }
    }
}

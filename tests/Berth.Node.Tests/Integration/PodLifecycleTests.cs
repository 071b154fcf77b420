using System.Net;
using k8s;
using k8s.Models;

namespace Berth.Node.Tests.Integration;

[Collection(NodeCollection.Name)]
public sealed class PodLifecycleTests(NodeFixture fixture)
{
    private readonly NodeFixture _fixture = fixture;

    [Fact]
    public async Task Deployment_BecomesRunningAndReady_WithAPodIPFromTheNodeCidr()
    {
        var ns = await _fixture.NewNamespaceAsync();
        var labels = new Dictionary<string, string> { ["app"] = "web" };
        await _fixture.Kubernetes.AppsV1.CreateNamespacedDeploymentAsync(
            new V1Deployment
            {
                Metadata = new V1ObjectMeta { Name = "web" },
                Spec = new V1DeploymentSpec
                {
                    Replicas = 2,
                    Selector = new V1LabelSelector { MatchLabels = labels },
                    Template = new V1PodTemplateSpec
                    {
                        Metadata = new V1ObjectMeta { Labels = labels },
                        Spec = new V1PodSpec
                        {
                            TerminationGracePeriodSeconds = 1,
                            Containers = [new V1Container { Name = "web", Image = "busybox", Command = ["sleep", "3600"] }],
                        },
                    },
                },
            },
            ns);

        var pods = await Eventually.ValueAsync(
            async () =>
            {
                var list = await _fixture.Kubernetes.CoreV1.ListNamespacedPodAsync(ns);
                return list.Items.Count == 2 && list.Items.All(Pods.IsReady) ? list.Items : null;
            },
            "two ready pods",
            TimeSpan.FromSeconds(30));

        var network = IPNetwork.Parse(_fixture.PodCidr);
        Assert.All(pods, p =>
        {
            Assert.Equal("Running", p.Status.Phase);
            Assert.Equal(_fixture.NodeName, p.Spec.NodeName);
            Assert.True(network.Contains(IPAddress.Parse(p.Status.PodIP)), p.Status.PodIP);
            Assert.NotEqual(network.BaseAddress.ToString().Replace(".0", ".1", StringComparison.Ordinal), p.Status.PodIP);
            Assert.Equal("127.0.0.1", p.Status.HostIP);
            Assert.NotNull(p.Status.StartTime);
            var status = Assert.Single(p.Status.ContainerStatuses);
            Assert.True(status.Ready);
            Assert.True(status.Started);
            Assert.NotNull(status.State.Running);
            Assert.StartsWith("berth://", status.ContainerID, StringComparison.Ordinal);
            Assert.Equal(
                ["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"],
                p.Status.Conditions.Select(c => c.Type));
            Assert.All(p.Status.Conditions, c => Assert.Equal("True", c.Status));
        });
        Assert.NotEqual(pods[0].Status.PodIP, pods[1].Status.PodIP);

        var deployment = await Eventually.ValueAsync(
            async () => await _fixture.Kubernetes.AppsV1.ReadNamespacedDeploymentAsync("web", ns) is { Status.AvailableReplicas: 2 } d ? d : null,
            "deployment available");
        Assert.Equal(2, deployment.Status.ReadyReplicas);

        var events = await _fixture.Kubernetes.CoreV1.ListNamespacedEventAsync(ns);
        var reasons = events.Items.Where(e => e.Source?.Component == "kubelet").Select(e => e.Reason).ToHashSet();
        Assert.Superset(new HashSet<string> { "Pulled", "Created", "Started" }, reasons);
    }

    [Fact]
    public async Task Deployment_OfTheBuiltInAgnhostImage_ServesOnItsPodIP()
    {
        var ns = await _fixture.NewNamespaceAsync();
        var labels = new Dictionary<string, string> { ["app"] = "netexec" };
        await _fixture.Kubernetes.AppsV1.CreateNamespacedDeploymentAsync(
            new V1Deployment
            {
                Metadata = new V1ObjectMeta { Name = "netexec" },
                Spec = new V1DeploymentSpec
                {
                    Replicas = 1,
                    Selector = new V1LabelSelector { MatchLabels = labels },
                    Template = new V1PodTemplateSpec
                    {
                        Metadata = new V1ObjectMeta { Labels = labels },
                        Spec = new V1PodSpec
                        {
                            TerminationGracePeriodSeconds = 1,
                            Containers =
                            [
                                new V1Container
                                {
                                    Name = "agnhost",
                                    Image = "registry.k8s.io/e2e-test-images/agnhost:2.53",
                                    Args = ["netexec", "--http-port=8080"],
                                    Ports = [new V1ContainerPort { Name = "http", ContainerPort = 8080 }],
                                    ReadinessProbe = new V1Probe { HttpGet = new V1HTTPGetAction { Path = "/hostname", Port = "http" }, PeriodSeconds = 1 },
                                },
                            ],
                        },
                    },
                },
            },
            ns);

        var pod = await Eventually.ValueAsync(
            async () => (await _fixture.Kubernetes.CoreV1.ListNamespacedPodAsync(ns)).Items.FirstOrDefault(Pods.IsReady),
            "a ready agnhost pod",
            TimeSpan.FromSeconds(60));

        using var http = new HttpClient();
        Assert.Equal(pod.Metadata.Name, await http.GetStringAsync($"http://{pod.Status.PodIP}:8080/hostname"));
        Assert.Equal("berth://builtin/agnhost", Pods.First(pod)!.ImageID);
    }

    [Theory]
    [InlineData("OnFailure", "exit 0", "Succeeded", "Completed", 0)]
    [InlineData("Never", "exit 3", "Failed", "Error", 3)]
    [InlineData("Always", "exit 0", "Running", "Completed", 0)]
    public async Task RestartPolicy_DecidesWhetherAFinishedContainerRuns_Again(string policy, string script, string phase, string reason, int exitCode)
    {
        var ns = await _fixture.NewNamespaceAsync();
        await _fixture.Client.CreateAsync(Pods.Shell(ns, "job", script, policy), CancellationToken.None);

        var pod = await Pods.WaitAsync(
            _fixture.Client, ns, "job",
            p => p.Status?.Phase == phase && Pods.First(p) is { } s && (s.State?.Terminated ?? s.LastState?.Terminated) is not null && (policy != "Always" || s.RestartCount >= 1),
            phase);

        var status = Pods.First(pod)!;
        var terminated = status.State.Terminated ?? status.LastState.Terminated;
        Assert.Equal(reason, terminated.Reason);
        Assert.Equal(exitCode, terminated.ExitCode);
        if (policy == "Always")
        {
            Assert.True(status.RestartCount >= 1);
        }
        else
        {
            Assert.Equal(0, status.RestartCount);
            Assert.Contains(pod.Status.Conditions, c => c.Type == "Ready" && c.Status == "False" && c.Reason == (phase == "Succeeded" ? "PodCompleted" : "PodFailed"));
        }
    }

    [Fact]
    public async Task OnFailure_RestartsAFailingContainer()
    {
        var ns = await _fixture.NewNamespaceAsync();
        await _fixture.Client.CreateAsync(Pods.Shell(ns, "flaky", "exit 1", "OnFailure"), CancellationToken.None);

        var pod = await Pods.WaitAsync(_fixture.Client, ns, "flaky", p => Pods.First(p)?.RestartCount >= 2, "restarted twice");

        Assert.NotEqual("Failed", pod.Status.Phase);
        Assert.Equal(1, Pods.First(pod)!.LastState.Terminated.ExitCode);
    }

    [Fact]
    public async Task CrashingContainer_BacksOffWithGrowingDelays()
    {
        var ns = await _fixture.NewNamespaceAsync();
        await _fixture.Client.CreateAsync(Pods.Shell(ns, "crash", "echo crashing; exit 2"), CancellationToken.None);

        // The kubelet's CrashLoopBackOff message names the current delay: with a 500 ms base it grows 500ms → 1s → 2s.
        var messages = new List<string>();
        await Eventually.TrueAsync(
            async () =>
            {
                var pod = await _fixture.Client.GetAsync<V1Pod>(ns, "crash", CancellationToken.None);
                if (Pods.First(pod!)?.State?.Waiting is { Reason: "CrashLoopBackOff", Message: { } message } && !messages.Contains(message))
                {
                    messages.Add(message);
                }

                return messages.Any(m => m.StartsWith("back-off 2s ", StringComparison.Ordinal));
            },
            "a 2s back-off",
            TimeSpan.FromSeconds(40));

        // Windows are short, so a poll may miss one; what it sees must only grow.
        var delays = messages.Select(m => TimeSpan.FromMilliseconds(m.Split(' ')[1] switch { "500ms" => 500, "1s" => 1000, "2s" => 2000, var d => throw new InvalidOperationException(d) })).ToList();
        Assert.True(delays.Count >= 2, string.Join(" | ", messages));
        Assert.Equal(delays.Order(), delays);
        Assert.Contains("restarting failed container=main pod=crash_" + ns + "(", messages[0], StringComparison.Ordinal);

        var pod = await _fixture.Client.GetAsync<V1Pod>(ns, "crash", CancellationToken.None);
        Assert.Equal("Running", pod!.Status.Phase);
        Assert.True(Pods.First(pod)!.RestartCount >= 3);
        Assert.Equal(2, Pods.First(pod)!.LastState.Terminated.ExitCode);
        Assert.Contains("crashing", Pods.Log(_fixture, ns, "crash", previous: true), StringComparison.Ordinal);

        var events = await _fixture.Kubernetes.CoreV1.ListNamespacedEventAsync(ns);
        Assert.Contains(events.Items, e => e.Reason == "BackOff" && e.Type == "Warning" && e.Message.StartsWith("Back-off restarting failed container main in pod crash_", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UnknownImageWithoutCommand_IsErrImagePullThenImagePullBackOff()
    {
        var ns = await _fixture.NewNamespaceAsync();
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "nginx", NamespaceProperty = ns },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "nginx", Image = "nginx:1.27" }] },
        };
        await _fixture.Client.CreateAsync(pod, CancellationToken.None);

        var reasons = new HashSet<string>();
        string? message = null;
        await Eventually.TrueAsync(
            async () =>
            {
                var current = await _fixture.Client.GetAsync<V1Pod>(ns, "nginx", CancellationToken.None);
                if (Pods.First(current!)?.State?.Waiting is { } waiting)
                {
                    reasons.Add(waiting.Reason);
                    message ??= waiting.Reason == "ErrImagePull" ? waiting.Message : null;
                }

                return reasons.Contains("ErrImagePull") && reasons.Contains("ImagePullBackOff");
            },
            "ErrImagePull and ImagePullBackOff");

        Assert.Contains("image \"nginx:1.27\"", message, StringComparison.Ordinal);
        Assert.Contains("command", message, StringComparison.Ordinal);
        Assert.Contains("--image-map", message, StringComparison.Ordinal);
        var current = await _fixture.Client.GetAsync<V1Pod>(ns, "nginx", CancellationToken.None);
        Assert.Equal("Pending", current!.Status.Phase);
        Assert.Null(Pods.First(current)!.State.Running);
    }

    [Fact]
    public async Task MissingExecutable_IsStartErrorWithExitCode128()
    {
        var ns = await _fixture.NewNamespaceAsync();
        var pod = Pods.Shell(ns, "missing", "unused", "Never");
        pod.Spec.Containers[0].Command = ["no-such-binary-berth-test"];
        await _fixture.Client.CreateAsync(pod, CancellationToken.None);

        var failed = await Pods.WaitAsync(_fixture.Client, ns, "missing", p => p.Status?.Phase == "Failed", "Failed");

        var terminated = Pods.First(failed)!.State.Terminated;
        Assert.Equal("StartError", terminated.Reason);
        Assert.Equal(128, terminated.ExitCode);
        Assert.Contains("executable file not found", terminated.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InitContainers_RunInOrderBeforeTheAppContainers()
    {
        var ns = await _fixture.NewNamespaceAsync();
        var pod = Pods.Shell(ns, "init", "cat order; sleep 3600");
        pod.Spec.InitContainers =
        [
            new V1Container { Name = "first", Image = "busybox", Command = ["sh", "-c", "sleep 0.3; echo first >> order"] },
            new V1Container { Name = "second", Image = "busybox", Command = ["sh", "-c", "echo second >> order"] },
        ];
        await _fixture.Client.CreateAsync(pod, CancellationToken.None);

        var running = await Pods.WaitAsync(_fixture.Client, ns, "init", Pods.IsReady, "ready");

        Assert.All(running.Status.InitContainerStatuses, s => Assert.Equal("Completed", s.State.Terminated.Reason));
        Assert.Contains(running.Status.Conditions, c => c.Type == "Initialized" && c.Status == "True");
        await Eventually.TrueAsync(() => Task.FromResult(Pods.Log(_fixture, ns, "init").Contains("first", StringComparison.Ordinal)), "the log");
        var log = Pods.Log(_fixture, ns, "init");
        Assert.True(log.IndexOf("first", StringComparison.Ordinal) < log.IndexOf("second", StringComparison.Ordinal), log);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z stdout F first\n", log);
    }

    [Fact]
    public async Task FailingInitContainer_WithRestartPolicyNever_FailsThePod()
    {
        var ns = await _fixture.NewNamespaceAsync();
        var pod = Pods.Shell(ns, "badinit", "sleep 3600", "Never");
        pod.Spec.InitContainers = [new V1Container { Name = "setup", Image = "busybox", Command = ["sh", "-c", "exit 7"] }];
        await _fixture.Client.CreateAsync(pod, CancellationToken.None);

        var failed = await Pods.WaitAsync(_fixture.Client, ns, "badinit", p => p.Status?.Phase == "Failed", "Failed");

        Assert.Equal(7, failed.Status.InitContainerStatuses[0].State.Terminated.ExitCode);
        Assert.Equal("PodInitializing", Pods.First(failed)!.State.Waiting.Reason);
        Assert.False(_fixture.Pods.FindPod(ns, "badinit")!.Find("main")!.Running);
    }

    [Fact]
    public async Task DeletedPod_ProcessesStopAndTheObjectIsRemoved()
    {
        var ns = await _fixture.NewNamespaceAsync();
        await _fixture.Client.CreateAsync(Pods.Shell(ns, "gone", "sleep 3600 & sleep 3600"), CancellationToken.None);
        var running = await Pods.WaitAsync(_fixture.Client, ns, "gone", Pods.IsReady, "ready");
        var pid = Pods.Pid(Pods.First(running)!);
        var dir = Path.Combine(_fixture.DataDir, "node", "pods", running.Metadata.Uid);
        Assert.True(Directory.Exists(dir));

        await _fixture.Kubernetes.CoreV1.DeleteNamespacedPodAsync("gone", ns);

        await Eventually.TrueAsync(async () => await _fixture.Client.GetAsync<V1Pod>(ns, "gone", CancellationToken.None) is null, "pod removed");
        await ProcessGroups.WaitGoneAsync(pid);
        await Eventually.TrueAsync(() => Task.FromResult(!Directory.Exists(dir)), "pod directory removed");
        await Eventually.TrueAsync(() => Task.FromResult(_fixture.Pods.FindPod(ns, "gone") is null), "pod forgotten by the agent");
    }
}

using System.Net;
using System.Net.Sockets;
using System.Text;
using k8s;
using k8s.Models;

namespace Berth.Node.Tests.Integration;

[Collection(NodeCollection.Name)]
public sealed class ProbeTests(NodeFixture fixture)
{
    private readonly NodeFixture _fixture = fixture;

    [Fact]
    public async Task FailingReadinessProbe_RemovesThePodFromTheEndpointSlice_AndAPassingOneReturnsIt()
    {
        var ns = await _fixture.NewNamespaceAsync();
        await _fixture.Client.CreateAsync(
            new V1Service
            {
                Metadata = new V1ObjectMeta { Name = "probed", NamespaceProperty = ns },
                Spec = new V1ServiceSpec { Selector = new Dictionary<string, string> { ["app"] = "probed" }, Ports = [new V1ServicePort { Port = 80 }] },
            },
            CancellationToken.None);
        var pod = Pods.Shell(ns, "probed", "touch ready; sleep 3600");
        pod.Spec.Containers[0].ReadinessProbe = new V1Probe { Exec = new V1ExecAction { Command = ["test", "-f", "ready"] }, PeriodSeconds = 1, FailureThreshold = 1 };
        await _fixture.Client.CreateAsync(pod, CancellationToken.None);
        var running = await Pods.WaitAsync(_fixture.Client, ns, "probed", Pods.IsReady, "ready");
        var readyFile = Path.Combine(_fixture.Pods.FindPod(ns, "probed")!.Find("main")!.WorkingDirectory, "ready");
        await WaitForEndpointAsync(ns, running.Status.PodIP, ready: true);

        File.Delete(readyFile);

        await Pods.WaitAsync(_fixture.Client, ns, "probed", p => !Pods.IsReady(p), "not ready");
        await WaitForEndpointAsync(ns, running.Status.PodIP, ready: false);
        var events = await _fixture.Kubernetes.CoreV1.ListNamespacedEventAsync(ns);
        Assert.Contains(events.Items, e => e.Reason == "Unhealthy" && e.Message.StartsWith("Readiness probe failed", StringComparison.Ordinal));

        await File.WriteAllTextAsync(readyFile, "");

        await Pods.WaitAsync(_fixture.Client, ns, "probed", Pods.IsReady, "ready again");
        await WaitForEndpointAsync(ns, running.Status.PodIP, ready: true);
        Assert.Equal(0, Pods.First((await _fixture.Client.GetAsync<V1Pod>(ns, "probed", CancellationToken.None))!)!.RestartCount);
    }

    [Fact]
    public async Task FailingLivenessProbe_RestartsTheContainer()
    {
        var ns = await _fixture.NewNamespaceAsync();
        var pod = Pods.Shell(ns, "live", "sleep 3600");
        pod.Spec.Containers[0].LivenessProbe = new V1Probe { Exec = new V1ExecAction { Command = ["test", "-f", "alive"] }, PeriodSeconds = 1, FailureThreshold = 2 };
        await _fixture.Client.CreateAsync(pod, CancellationToken.None);

        var restarted = await Pods.WaitAsync(_fixture.Client, ns, "live", p => Pods.First(p)?.RestartCount >= 1, "restarted");

        Assert.Equal("Error", Pods.First(restarted)!.LastState.Terminated.Reason);
        // Events are recorded beside the restart, not before it: wait for them.
        await Eventually.TrueAsync(
            async () => (await _fixture.Kubernetes.CoreV1.ListNamespacedEventAsync(ns)).Items is var events &&
                events.Any(e => e.Reason == "Unhealthy" && e.Message.StartsWith("Liveness probe failed", StringComparison.Ordinal)) &&
                events.Any(e => e.Reason == "Killing" && e.Message == "Container main failed liveness probe, will be restarted"),
            "the Unhealthy and Killing events", TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task TcpAndHttpProbes_ReachAProcessListeningOnThePodIP()
    {
        var ns = await _fixture.NewNamespaceAsync();
        var pod = Pods.Shell(ns, "listener", "sleep 3600");
        pod.Spec.Containers[0].Ports = [new V1ContainerPort { Name = "http", ContainerPort = 18080 }];
        pod.Spec.Containers[0].ReadinessProbe = new V1Probe { HttpGet = new V1HTTPGetAction { Path = "/healthz", Port = "http" }, PeriodSeconds = 1 };
        pod.Spec.Containers[0].StartupProbe = new V1Probe { TcpSocket = new V1TCPSocketAction { Port = 18080 }, PeriodSeconds = 1, FailureThreshold = 60 };
        await _fixture.Client.CreateAsync(pod, CancellationToken.None);
        var started = await Pods.WaitAsync(_fixture.Client, ns, "listener", p => p.Status?.PodIP is not null && Pods.First(p)?.State?.Running is not null, "running");
        Assert.False(Pods.First(started)!.Started);

        // The test plays the container's server, listening on the pod's own address.
        using var server = new TcpListener(IPAddress.Parse(started.Status.PodIP), 18080);
        server.Start();
        using var stop = new CancellationTokenSource();
        var serving = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var client = await server.AcceptTcpClientAsync(stop.Token);
                using var stream = client.GetStream();
                var request = new StringBuilder();
                var buffer = new byte[4096];
                while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    var read = await stream.ReadAsync(buffer, stop.Token);
                    if (read == 0)
                    {
                        break;
                    }

                    request.Append(Encoding.ASCII.GetString(buffer, 0, read));
                }

                var text = request.ToString();
                var ok = text.StartsWith("GET /healthz ", StringComparison.Ordinal) && text.Contains("User-Agent: kube-probe/", StringComparison.Ordinal);
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 {(ok ? "200 OK" : "500 Bad")}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"), stop.Token);
            }
        });

        var ready = await Pods.WaitAsync(_fixture.Client, ns, "listener", Pods.IsReady, "ready");

        Assert.True(Pods.First(ready)!.Started);
        await stop.CancelAsync();
        server.Stop();
        await Assert.ThrowsAnyAsync<Exception>(() => serving);
    }

    private async Task WaitForEndpointAsync(string ns, string ip, bool ready) =>
        await Eventually.TrueAsync(
            async () =>
            {
                var slices = await _fixture.Kubernetes.DiscoveryV1.ListNamespacedEndpointSliceAsync(ns, labelSelector: "kubernetes.io/service-name=probed");
                var endpoint = slices.Items.SelectMany(s => s.Endpoints ?? []).FirstOrDefault(e => e.Addresses.Contains(ip));
                return endpoint is not null && (endpoint.Conditions?.Ready ?? true) == ready;
            },
            $"endpoint {ip} ready={ready}");
}

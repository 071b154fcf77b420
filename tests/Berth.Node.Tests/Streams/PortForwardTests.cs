using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using k8s;
using k8s.Models;

namespace Berth.Node.Tests.Streams;

[Collection(StreamsCollection.Name)]
public sealed partial class PortForwardTests(StreamsCluster cluster)
{
    [Theory]
    [InlineData("pf-ws", true)]
    [InlineData("pf-spdy", false)]
    public async Task KubectlPortForwardPod_CarriesTcpBytes(string name, bool websockets)
    {
        var ip = cluster.NextPodIp();
        await using var backend = new TestHttpBackend(ip, name);
        await cluster.AddPodAsync(name, ip, null, null, cluster.Start("main", ["sleep", "300"]));
        var before = cluster.AgentLog.Count();

        var answers = await ForwardAndGetAsync($"pod/{name}", backend.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), websockets, "/first", "/second");

        Assert.Contains($"{name}: GET /first", answers[0], StringComparison.Ordinal);
        Assert.Contains($"{name}: GET /second", answers[1], StringComparison.Ordinal);
        var transport = websockets ? "(SPDY over WebSocket)" : "(SPDY)";
        Assert.Contains(cluster.AgentLog.Skip(before), m => m.Contains($"port-forward to default/{name} {transport}", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("pfsvc-ws", true)]
    [InlineData("pfsvc-spdy", false)]
    public async Task KubectlPortForwardService_ReachesAPodBehindIt(string name, bool websockets)
    {
        var ip = cluster.NextPodIp();
        await using var backend = new TestHttpBackend(ip, name);
        await cluster.AddPodAsync(name, ip, null, [new V1ContainerPort { Name = "http", ContainerPort = backend.Port }], cluster.Start("main", ["sleep", "300"]));
        await cluster.Client.CoreV1.CreateNamespacedServiceAsync(
            new V1Service
            {
                Metadata = new V1ObjectMeta { Name = name },
                Spec = new V1ServiceSpec { Selector = new Dictionary<string, string> { ["app"] = name }, Ports = [new V1ServicePort { Port = 80, TargetPort = "http" }] },
            },
            "default");

        var answers = await ForwardAndGetAsync($"svc/{name}", "80", websockets, "/via-service");

        Assert.Contains($"{name}: GET /via-service", answers[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task KubectlPortForward_NothingListening_ReportsTheError()
    {
        var ip = cluster.NextPodIp();
        await cluster.AddPodAsync("pf-refused", ip, null, null, cluster.Start("main", ["sleep", "300"]));

        var answers = await ForwardAndGetAsync("pod/pf-refused", "1", websockets: false, "/x");

        Assert.DoesNotContain("HTTP/1.1", answers[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task CSharpWebSocketPortForward_CarriesTcpBytes()
    {
        var ip = cluster.NextPodIp();
        await using var backend = new TestHttpBackend(ip, "pf-csharp");
        await cluster.AddPodAsync("pf-csharp", ip, null, null, cluster.Start("main", ["sleep", "300"]));

        using var socket = await cluster.Client.WebSocketNamespacedPodPortForwardAsync("pf-csharp", "default", [backend.Port], "v4.channel.k8s.io");
        using var demux = new StreamDemuxer(socket, StreamType.PortForward);
        demux.Start();
        using var stream = demux.GetStream((byte?)0, (byte?)0);
        var answer = await TestHttpBackend.GetAsync(stream, "/from-csharp");

        Assert.Contains("pf-csharp: GET /from-csharp", answer, StringComparison.Ordinal);
    }

    /// <summary>Runs <c>kubectl port-forward TARGET :PORT</c>, makes one HTTP request per path through it, and stops it.</summary>
    private async Task<List<string>> ForwardAndGetAsync(string target, string remotePort, bool websockets, params string[] paths)
    {
        var info = cluster.Kubectl.StartInfo("port-forward", "-v=4", "--address", "127.0.0.1", target, ":" + remotePort);
        info.Environment["KUBECTL_PORT_FORWARD_WEBSOCKETS"] = websockets ? "true" : "false";
        using var kubectl = Process.Start(info)!;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var line = await kubectl.StandardOutput.ReadLineAsync(timeout.Token) ?? throw new InvalidOperationException("kubectl port-forward: " + await kubectl.StandardError.ReadToEndAsync());
            var localPort = int.Parse(ForwardingFrom().Match(line).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            var answers = new List<string>();
            foreach (var path in paths)
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, localPort, timeout.Token);
                answers.Add(await TestHttpBackend.GetAsync(client.GetStream(), path).WaitAsync(timeout.Token));
            }

            return answers;
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            kubectl.Kill(entireProcessTree: true);
            throw new InvalidOperationException("kubectl port-forward failed: " + await kubectl.StandardError.ReadToEndAsync() + "\nagent log:\n" + string.Join('\n', cluster.AgentLog.TakeLast(10)), e);
        }
        finally
        {
            kubectl.Kill(entireProcessTree: true);
            await kubectl.WaitForExitAsync();
        }
    }

    [GeneratedRegex(@"Forwarding from 127\.0\.0\.1:(\d+)")]
    private static partial Regex ForwardingFrom();
}

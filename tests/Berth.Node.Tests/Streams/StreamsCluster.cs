using System.Net;
using Berth.ApiServer.Tests.Infrastructure;
using Berth.Node.Runtime;
using Berth.Node.Streams;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Node.Tests.Streams;

/// <summary>
/// The real API server, a real <see cref="KubeletServer"/> on a free loopback port, and a Node object pointing at it
/// (InternalIP 127.0.0.1, daemonEndpoints.kubeletEndpoint.Port). Pods are created in the API with
/// <c>spec.nodeName</c> and a Running status, and registered in a <see cref="TestContainerDirectory"/>.
/// </summary>
public sealed class StreamsCluster : IAsyncLifetime
{
    public const string NodeName = "streams-node";

    private readonly BerthServer _server = new();
    private readonly RecordingLoggerProvider _logs = new();
    private ILoggerFactory _loggers = NullLoggerFactory.Instance;
    private int _nextIp = 10;

    internal TestContainerDirectory Pods { get; } = new();

    internal ProcessLauncher Launcher { get; private set; } = null!;

    public KubeletServer Kubelet { get; private set; } = null!;

    public Kubernetes Client => _server.Client;

    public Kubectl Kubectl { get; private set; } = null!;

    public string ScratchDir => _server.DataDir;

    internal BerthServer Server => _server;

    /// <summary>What the agent logged (the port-forward transport, exec protocol, …).</summary>
    public IEnumerable<string> AgentLog => _logs.Messages;

    public async Task InitializeAsync()
    {
        await _server.InitializeAsync();
        _loggers = LoggerFactory.Create(b => b.AddProvider(_logs).SetMinimumLevel(LogLevel.Debug));
        Launcher = ProcessLauncher.Start(NullLogger.Instance);
        Kubelet = new KubeletServer(
            new NodeAgentOptions { NodeName = NodeName, NodeAddress = IPAddress.Loopback, KubeletPort = 0, DataDir = Path.Combine(ScratchDir, "node") },
            _server.Host.Credentials.CaCertificate,
            Pods,
            Launcher,
            _loggers);
        await Kubelet.StartAsync(CancellationToken.None);
        Kubectl = new Kubectl(_server.KubeconfigPath, ScratchDir);

        await Client.CoreV1.CreateNodeAsync(new V1Node { Metadata = new V1ObjectMeta { Name = NodeName } });
        var node = await Client.CoreV1.ReadNodeAsync(NodeName);
        node.Status = new V1NodeStatus
        {
            Addresses = [new V1NodeAddress { Type = "InternalIP", Address = "127.0.0.1" }, new V1NodeAddress { Type = "Hostname", Address = NodeName }],
            DaemonEndpoints = new V1NodeDaemonEndpoints { KubeletEndpoint = new V1DaemonEndpoint { Port = Kubelet.Port } },
            Conditions = [new V1NodeCondition { Type = "Ready", Status = "True" }],
        };
        await Client.CoreV1.ReplaceNodeStatusAsync(node, NodeName);
    }

    /// <summary>A fresh loopback pod IP (127.244.0.N) for one test.</summary>
    public string NextPodIp() => "127.244.0." + Interlocked.Increment(ref _nextIp).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Creates the Pod in the API (bound to the node, Running, with container statuses) and on the "node".</summary>
    internal async Task<V1Pod> AddPodAsync(string name, string? podIP, IDictionary<string, string>? labels, IReadOnlyList<V1ContainerPort>? ports, params TestContainer[] containers)
    {
        var pod = await Client.CoreV1.CreateNamespacedPodAsync(
            new V1Pod
            {
                Metadata = new V1ObjectMeta { Name = name, Labels = labels ?? new Dictionary<string, string> { ["app"] = name } },
                Spec = new V1PodSpec
                {
                    NodeName = NodeName,
                    Containers = containers.Select((c, i) => new V1Container { Name = c.Name, Image = "berth/test", Command = ["sh"], Ports = i == 0 ? ports?.ToList() : null }).ToList(),
                },
            },
            "default");
        pod.Status = new V1PodStatus
        {
            Phase = "Running",
            PodIP = podIP,
            PodIPs = podIP is null ? null : [new V1PodIP { Ip = podIP }],
            HostIP = "127.0.0.1",
            Conditions = [new V1PodCondition { Type = "Ready", Status = "True" }],
            ContainerStatuses = containers.Select(c => new V1ContainerStatus
            {
                Name = c.Name,
                Image = "berth/test",
                ImageID = "",
                Ready = true,
                RestartCount = c.View().RestartCount,
                State = new V1ContainerState { Running = new V1ContainerStateRunning { StartedAt = DateTime.UtcNow } },
                LastState = c.View().RestartCount > 0 ? new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = 1, ContainerID = "berth://previous" } } : new V1ContainerState(),
            }).ToList(),
        };
        pod = await Client.CoreV1.ReplaceNamespacedPodStatusAsync(pod, name, "default");
        Pods.Add("default", name, pod.Metadata.Uid, podIP, containers);
        return pod;
    }

    /// <summary>A container running <paramref name="command"/> in a per-test directory.</summary>
    internal TestContainer Start(string name, IReadOnlyList<string> command, IReadOnlyList<KeyValuePair<string, string>>? environment = null) =>
        TestContainer.Start(Launcher, name, Path.Combine(ScratchDir, "containers", Guid.NewGuid().ToString("N")[..8]), command, environment);

    public async Task DisposeAsync()
    {
        if (Kubelet is not null)
        {
            await Kubelet.DisposeAsync();
        }

        if (Launcher is not null)
        {
            await Launcher.DisposeAsync(); // kills every process a test left running
        }

        _loggers.Dispose();
        await _server.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class StreamsCollection : ICollectionFixture<StreamsCluster>
{
    public const string Name = "streams";
}

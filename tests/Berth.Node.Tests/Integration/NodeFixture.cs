using System.Net;
using Berth.ApiServer;
using Berth.Client.Http;
using Berth.Controllers;
using Berth.Controllers.Deployments;
using Berth.Controllers.Endpoints;
using Berth.Controllers.EndpointSlices;
using Berth.Controllers.GarbageCollection;
using Berth.Controllers.ReplicaSets;
using Berth.Controllers.Scheduling;
using Berth.Node.Pods;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Node.Tests.Integration;

/// <summary>
/// One control plane for the node tests: the real API server (HTTPS on a free loopback port, SQLite in a temporary
/// directory), the controllers Deployments and Services need, a Ready Node created by the fixture with a random
/// 127.244.N.0/24 pod CIDR, and a <see cref="PodManager"/> for that node running real processes, as that node
/// (a node kubeconfig from <c>NodeCredentials</c>: the Node authorizer and NodeRestriction apply). Back-offs are short.
/// </summary>
public sealed class NodeFixture : IAsyncLifetime
{
    private ApiServerHost? _host;
    private ControllerManager? _controllers;
    private int _namespaces;

    public string DataDir { get; } = Path.Combine(Path.GetTempPath(), "berth-node-test-" + Guid.NewGuid().ToString("N")[..12]);

    public string NodeName { get; } = "node-" + Guid.NewGuid().ToString("N")[..6];

    public string PodCidr { get; } = $"127.244.{Random.Shared.Next(10, 250)}.0/24";

    public ApiServerHost Host => _host ?? throw new InvalidOperationException("not started");

    public HttpApiClient Client { get; private set; } = null!;

    /// <summary>The official KubernetesClient, as kubectl-like callers see the cluster.</summary>
    public Kubernetes Kubernetes { get; private set; } = null!;

    public PodManager Pods { get; private set; } = null!;

    public PodRuntimeOptions RuntimeOptions { get; } = ShortBackOffs();

    /// <summary>The runtime tunables of test agents: back-offs and retries of a second or less.</summary>
    public static PodRuntimeOptions ShortBackOffs() => new()
    {
        CrashLoopBackOffInitial = TimeSpan.FromMilliseconds(500),
        CrashLoopBackOffMax = TimeSpan.FromSeconds(8),
        ImagePullBackOffInitial = TimeSpan.FromSeconds(1),
        ImagePullBackOffMax = TimeSpan.FromSeconds(8),
        RetryInterval = TimeSpan.FromSeconds(1),
        IPQuarantine = TimeSpan.FromSeconds(1),
        AgentStopGracePeriod = TimeSpan.FromSeconds(2),
        VolumeRefreshInterval = TimeSpan.FromMilliseconds(300),
    };

    /// <summary>The berth built beside the tests, for the built-in images.</summary>
    public static IReadOnlyList<string> BerthCommand { get; } =
        [Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? Environment.ProcessPath ?? "dotnet", Path.Combine(AppContext.BaseDirectory, "berth.dll")];

    public async Task InitializeAsync()
    {
        var options = new ApiServerOptions { DataDir = DataDir, ApiPort = 0, BookmarkInterval = TimeSpan.FromMilliseconds(500) };
        _host = await ApiServerHost.StartAsync(options, null, CancellationToken.None);
        Client = HttpApiClient.FromKubeconfig(Host.KubeconfigPath);
        Kubernetes = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(Host.KubeconfigPath));

        _controllers = new ControllerManager(HttpApiClient.FromKubeconfig(Host.KubeconfigPath), new ControllerOptions());
        _controllers.Add(m => new EndpointSliceController(m));
        _controllers.Add(m => new EndpointsController(m));
        _controllers.Add(m => new ReplicaSetController(m));
        _controllers.Add(m => new DeploymentController(m));
        _controllers.Add(m => new Scheduler(m));
        _controllers.Add(m => new GarbageCollector(m));
        RootCaPublisher.AddTo(_controllers, Host);
        await _controllers.StartAsync(CancellationToken.None);

        await CreateNodeAsync(Client, NodeName, PodCidr, schedulable: true);
        var nodeOptions = new NodeAgentOptions
        {
            NodeName = NodeName,
            DataDir = Path.Combine(DataDir, "node"),
            NodeAddress = IPAddress.Loopback,
            BerthCommand = BerthCommand,
        };
        // The pod side acts as its node (system:node:<name>), with the node kubeconfig the server issues for a remote agent.
        var nodeKubeconfig = Berth.ApiServer.Security.NodeCredentials.Write(Host.Credentials, DataDir, Host.Url, NodeName, DateTimeOffset.UtcNow);
        Pods = new PodManager(HttpApiClient.FromKubeconfig(nodeKubeconfig), nodeOptions, PodCidr, NullLoggerFactory.Instance, RuntimeOptions);
        await Pods.StartAsync(CancellationToken.None);
    }

    /// <summary>A Ready Node with a pod CIDR, as node registration will create it.</summary>
    public static Task<V1Node> CreateNodeAsync(HttpApiClient client, string name, string podCidr, bool schedulable) =>
        client.CreateAsync(
            new V1Node
            {
                Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["kubernetes.io/hostname"] = name } },
                Spec = new V1NodeSpec { PodCIDR = podCidr, PodCIDRs = [podCidr], Unschedulable = !schedulable },
                Status = new V1NodeStatus
                {
                    Conditions = [new V1NodeCondition { Type = "Ready", Status = "True", Reason = "KubeletReady", LastTransitionTime = DateTime.UtcNow }],
                    Addresses = [new V1NodeAddress { Type = "InternalIP", Address = "127.0.0.1" }],
                },
            },
            CancellationToken.None);

    /// <summary>Creates a namespace no other test uses.</summary>
    public async Task<string> NewNamespaceAsync()
    {
        var name = "t" + Interlocked.Increment(ref _namespaces) + "-" + Guid.NewGuid().ToString("N")[..6];
        await Client.CreateAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } }, CancellationToken.None);
        return name;
    }

    public async Task DisposeAsync()
    {
        if (Pods is not null)
        {
            await Pods.DisposeAsync();
        }

        if (_controllers is not null)
        {
            await _controllers.DisposeAsync();
        }

        Client?.Dispose();
        Kubernetes?.Dispose();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

[CollectionDefinition(Name)]
public sealed class NodeCollection : ICollectionFixture<NodeFixture>
{
    public const string Name = "node";
}

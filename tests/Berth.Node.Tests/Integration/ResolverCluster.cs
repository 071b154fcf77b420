using System.Net;
using Berth.ApiServer;
using Berth.ApiServer.Tests.Infrastructure;
using Berth.Client.Http;
using Berth.Controllers;
using Berth.Node.Runtime;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Node.Tests.Integration;

/// <summary>
/// A cluster for the pod resolver tests: the real API server with its service CIDR from an <see cref="AddressBlock"/>
/// (the <c>kube-dns</c> Service takes the block's DNS address), and whole node agents (<see cref="NodeAgent"/>: kubelet
/// API for kubectl exec, registration, pods) running real processes. Agents read a node resolv.conf the cluster wrote
/// (<see cref="NodeResolvConf"/>), so Default pods have a known configuration. No DNS server listens: these tests read
/// files, they resolve nothing.
/// </summary>
public sealed class ResolverCluster : IAsyncLifetime
{
    /// <summary>What the agents read as the node's /etc/resolv.conf.</summary>
    public const string NodeResolvConfText = "# the node's resolver\nnameserver 127.0.0.53\nsearch corp.example\noptions timeout:1 attempts:2\n";

    private readonly List<NodeAgent> _agents = [];
    private readonly bool _kubeDns;
    private readonly SandboxMode? _sandbox;
    private ApiServerHost? _host;
    private ControllerManager? _controllers;

    public ResolverCluster()
        : this(kubeDns: true, sandbox: null)
    {
    }

    /// <param name="kubeDns">Whether <c>kube-system/kube-dns</c> exists from the start.</param>
    /// <param name="sandbox">The sandbox mode of the first agent (null: the best the machine allows).</param>
    internal ResolverCluster(bool kubeDns, SandboxMode? sandbox)
    {
        _kubeDns = kubeDns;
        _sandbox = sandbox;
    }

    internal AddressBlock Block { get; } = AddressBlock.Claim();

    public string DataDir { get; } = Path.Combine(Path.GetTempPath(), "berth-resolver-test-" + Guid.NewGuid().ToString("N")[..12]);

    public string NodeResolvConf => Path.Combine(DataDir, "node-resolv.conf");

    public ApiServerHost Host => _host ?? throw new InvalidOperationException("not started");

    public HttpApiClient Client { get; private set; } = null!;

    public Kubernetes Kubernetes { get; private set; } = null!;

    public Kubectl Kubectl { get; private set; } = null!;

    /// <summary>The first agent's node.</summary>
    public string NodeName { get; } = "resolver-" + Guid.NewGuid().ToString("N")[..6];

    public NodeAgent Agent => _agents[0];

    /// <summary>The host's files and kernel host name when the cluster started (no pod may change them).</summary>
    public (string ResolvConf, string Hosts, string Hostname) HostFiles { get; } =
        (File.ReadAllText("/etc/resolv.conf"), File.ReadAllText("/etc/hosts"), File.ReadAllText("/proc/sys/kernel/hostname"));

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(DataDir);
        await File.WriteAllTextAsync(NodeResolvConf, NodeResolvConfText);
        var options = new ApiServerOptions
        {
            DataDir = DataDir,
            ApiPort = 0,
            BookmarkInterval = TimeSpan.FromMilliseconds(500),
            ServiceCidr = Block.ServiceCidr,
            ServiceNodePortRange = Block.NodePortRange,

            // The API server keeps kube-system/kube-dns at the block's DNS address; without it, a test creates it later.
            KubeDnsService = _kubeDns,
        };
        _host = await ApiServerHost.StartAsync(options, null, CancellationToken.None);
        Client = HttpApiClient.FromKubeconfig(Host.KubeconfigPath);
        Kubernetes = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(Host.KubeconfigPath));
        Kubectl = new Kubectl(Host.KubeconfigPath, DataDir);
        _controllers = new ControllerManager(HttpApiClient.FromKubeconfig(Host.KubeconfigPath), new ControllerOptions());
        RootCaPublisher.AddTo(_controllers, Host);
        await _controllers.StartAsync(CancellationToken.None);
        await StartAgentAsync(NodeName, 64, _sandbox, clusterDns: []);
    }

    /// <summary>
    /// Starts a whole agent for a new node with the pod CIDR <c>127.X.&lt;third&gt;.0/24</c> of the block, and returns it
    /// once its Services and pods are listed.
    /// </summary>
    public async Task<NodeAgent> StartAgentAsync(string nodeName, int third, SandboxMode? sandbox, IReadOnlyList<IPAddress> clusterDns)
    {
        var cidr = $"{Block.Prefix}{third}.0/24";
        await NodeFixture.CreateNodeAsync(Client, nodeName, cidr, schedulable: false);
        var options = new NodeAgentOptions
        {
            NodeName = nodeName,
            DataDir = Path.Combine(DataDir, nodeName),
            NodeAddress = IPAddress.Loopback,
            KubeletPort = 0,
            BerthCommand = NodeFixture.BerthCommand,
            ResolvConf = NodeResolvConf,
            PodSandbox = sandbox,
            ClusterDns = clusterDns,

            // The user-namespace sandbox maps only the agent's own uid: a root agent pinned to it runs pods as root.
            PodUser = sandbox == SandboxMode.UserNamespace ? "root" : "nobody",
        };
        var agent = await NodeAgent.StartAsync(HttpApiClient.FromKubeconfig(Host.KubeconfigPath), options, Host.Credentials.CaCertificate, NullLoggerFactory.Instance, NodeFixture.ShortBackOffs(), CancellationToken.None);
        _agents.Add(agent);
        return agent;
    }

    /// <summary>The cluster DNS Service as the API server keeps it (ClusterIP: the 10th address of the service CIDR), for a cluster started without it.</summary>
    public Task<V1Service> CreateKubeDnsAsync() => Client.CreateAsync(
        new V1Service
        {
            Metadata = new V1ObjectMeta { Name = "kube-dns", NamespaceProperty = "kube-system", Labels = new Dictionary<string, string> { ["k8s-app"] = "kube-dns" } },
            Spec = new V1ServiceSpec
            {
                ClusterIP = Block.DnsIp,
                Selector = new Dictionary<string, string> { ["k8s-app"] = "kube-dns" },
                Ports =
                [
                    new V1ServicePort { Name = "dns", Port = 53, Protocol = "UDP", TargetPort = 53 },
                    new V1ServicePort { Name = "dns-tcp", Port = 53, Protocol = "TCP", TargetPort = 53 },
                ],
            },
        },
        CancellationToken.None);

    private int _namespaces;

    public async Task<string> NewNamespaceAsync()
    {
        var name = "r" + Interlocked.Increment(ref _namespaces) + "-" + Guid.NewGuid().ToString("N")[..6];
        await Client.CreateAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } }, CancellationToken.None);
        return name;
    }

    /// <summary>A pod of one container running <c>sh -c <paramref name="script"/></c> on the first agent's node.</summary>
    public V1Pod Pod(string ns, string name, string script = "sleep 3600", string? nodeName = null)
    {
        var pod = Pods.Shell(ns, name, script, nodeName: nodeName ?? NodeName);
        pod.Spec.TerminationGracePeriodSeconds = 1;
        return pod;
    }

    /// <summary>What <c>kubectl exec POD -- command…</c> prints.</summary>
    public Task<string> ExecAsync(string ns, string pod, params string[] command) =>
        Kubectl.OkAsync(["exec", "-n", ns, pod, "--", .. command]);

    /// <summary>The Warning events about <paramref name="pod"/> with <paramref name="reason"/>.</summary>
    public async Task<IReadOnlyList<Corev1Event>> EventsAsync(string ns, string pod, string reason) =>
        [.. (await Kubernetes.CoreV1.ListNamespacedEventAsync(ns)).Items.Where(e => e.InvolvedObject.Name == pod && e.Reason == reason)];

    public async Task DisposeAsync()
    {
        foreach (var agent in _agents)
        {
            await agent.DisposeAsync();
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

        Block.Dispose();
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
public sealed class ResolverCollection : ICollectionFixture<ResolverCluster>
{
    public const string Name = "resolver";
}

using System.Security.Cryptography.X509Certificates;
using Berth.Client;
using Berth.Core.Files;
using Berth.Node.Pods;
using Berth.Node.Registration;
using Berth.Node.Runtime;
using Berth.Node.Streams;
using Microsoft.Extensions.Logging;

namespace Berth.Node;

/// <summary>
/// One node agent: the kubelet API (<see cref="KubeletServer"/>), the Node object and its heartbeat, and the pods
/// (<see cref="PodManager"/>). It uses nothing but an <see cref="IApiClient"/>, so <c>berth up</c> runs it in the same
/// process as the API server and <c>berth agent</c> runs it against a server elsewhere.
/// </summary>
public sealed class NodeAgent : IAsyncDisposable
{
    private readonly ProcessLauncher _launcher;
    private readonly KubeletServer _kubelet;
    private readonly NodeHeartbeat _heartbeat;
    private readonly PodManager _pods;

    private NodeAgent(ProcessLauncher launcher, KubeletServer kubelet, NodeHeartbeat heartbeat, PodManager pods, RegisteredNode node)
    {
        _launcher = launcher;
        _kubelet = kubelet;
        _heartbeat = heartbeat;
        _pods = pods;
        Node = node;
    }

    /// <summary>The registered node: its name, pod CIDR and kubelet port.</summary>
    public RegisteredNode Node { get; }

    /// <summary>The pods this agent runs.</summary>
    public IContainerDirectory Pods => _pods;

    /// <summary>
    /// Starts the kubelet API, registers the Node (waiting for its pod CIDR), starts the heartbeat and then the pods.
    /// </summary>
    /// <param name="api">The API client the whole agent uses.</param>
    /// <param name="options">The agent's settings.</param>
    /// <param name="clusterCa">The cluster CA: the API server's client certificate for the kubelet API must chain to it.</param>
    /// <param name="loggers">Loggers.</param>
    /// <param name="runtime">Pod runtime tunables (back-offs, log rotation); the kubelet's defaults when null.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<NodeAgent> StartAsync(IApiClient api, NodeAgentOptions options, X509Certificate2 clusterCa, ILoggerFactory loggers, PodRuntimeOptions? runtime, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        // 0700 like the server's: pods' logs and files are the agent's, and pods run as other users when it is root.
        PrivateFiles.CreateDirectory(options.DataDir);
        PrivateFiles.Narrow(options.DataDir);
        var logger = loggers.CreateLogger("Berth.Node");
        var directory = new LateDirectory();
        var launcher = ProcessLauncher.Start(logger, options.PodSandbox); // one reaper for the pods' processes and exec sessions
        var kubelet = new KubeletServer(options, clusterCa, directory, launcher, loggers);
        NodeHeartbeat? heartbeat = null;
        PodManager? pods = null;
        try
        {
            await kubelet.StartAsync(cancellationToken).ConfigureAwait(false);
            var node = await NodeRegistration.RegisterAsync(api, options, kubelet.Port, logger, cancellationToken).ConfigureAwait(false);
            heartbeat = new NodeHeartbeat(api, options, kubelet.Port, logger);
            await heartbeat.StartAsync(cancellationToken).ConfigureAwait(false);
            var podCidr = node.Spec!.PodCIDR!;
            pods = new PodManager(api, options, podCidr, loggers, runtime ?? new PodRuntimeOptions(), launcher);
            directory.Target = pods;
            await pods.StartAsync(cancellationToken).ConfigureAwait(false);
            return new NodeAgent(launcher, kubelet, heartbeat, pods, new RegisteredNode(options.NodeName, podCidr, kubelet.Port));
        }
        catch
        {
            if (pods is not null)
            {
                await pods.DisposeAsync().ConfigureAwait(false);
            }

            if (heartbeat is not null)
            {
                await heartbeat.DisposeAsync().ConfigureAwait(false);
            }

            await kubelet.DisposeAsync().ConfigureAwait(false);
            await launcher.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Stops every pod (SIGTERM, a short grace, SIGKILL) and then the heartbeat and the kubelet API. The pod objects
    /// stay; the node lifecycle controller marks them not ready once the Node's lease runs out.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        await _pods.DisposeAsync().ConfigureAwait(false);
        await _heartbeat.DisposeAsync().ConfigureAwait(false);
        await _kubelet.DisposeAsync().ConfigureAwait(false);
        await _launcher.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>The kubelet API starts before the pods exist: it reads them through this, set once they do.</summary>
    private sealed class LateDirectory : IContainerDirectory
    {
        public volatile IContainerDirectory? Target;

        public RunningPod? FindPod(string ns, string name) => Target?.FindPod(ns, name);

        public IReadOnlyList<RunningPod> ListPods() => Target?.ListPods() ?? [];
    }
}

/// <summary>What an agent registered as.</summary>
/// <param name="Name">The Node's name.</param>
/// <param name="PodCidr">The pod CIDR the node IPAM controller gave it.</param>
/// <param name="KubeletPort">The port of its kubelet API.</param>
public sealed record RegisteredNode(string Name, string PodCidr, int KubeletPort);

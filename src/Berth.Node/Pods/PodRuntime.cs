using Berth.Client;
using Berth.Client.Informers;
using Berth.Node.Images;
using Berth.Node.Networking;
using Berth.Node.Probes;
using Berth.Node.Resolver;
using Berth.Node.Runtime;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Berth.Node.Pods;

/// <summary>What every pod worker of one agent shares: the API, the launcher, IPAM, images, probes, events, status, resolver files.</summary>
internal sealed class PodRuntime
{
    public required IApiClient Client { get; init; }

    public required NodeAgentOptions Node { get; init; }

    public required PodRuntimeOptions Options { get; init; }

    public required ProcessLauncher Launcher { get; init; }

    public required PodIpam Ipam { get; init; }

    public required ImageResolver Images { get; init; }

    public required Prober Prober { get; init; }

    public required PodEventRecorder Events { get; init; }

    public required PodStatusWriter Status { get; init; }

    public required ILister<V1Service> Services { get; init; }

    public required PodPaths Paths { get; init; }

    /// <summary>Whom each container's processes run as.</summary>
    public required PodUsers Users { get; init; }

    /// <summary>Writes each pod's resolv.conf, hosts file and mount table before a container starts.</summary>
    public required PodResolverFiles Resolver { get; init; }

    /// <summary>What the pods' volumes share: the API, tokens, the node's capacity, the mount tools.</summary>
    public required Volumes.VolumeRuntime Volumes { get; init; }

    public required ILoggerFactory Loggers { get; init; }

    public TimeProvider Time => Node.TimeProvider;

    public string HostIP => Node.NodeAddress.ToString();
}

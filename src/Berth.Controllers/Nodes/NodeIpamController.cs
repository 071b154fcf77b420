using System.Text.Json.Nodes;
using Berth.Client;
using Berth.Client.Events;
using Berth.Client.Informers;
using Berth.Client.Queues;
using Berth.Controllers.Common;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Berth.Controllers.Nodes;

/// <summary>
/// Gives every Node without one a pod CIDR of <see cref="ControllerOptions.ClusterCidr"/> (a /<see
/// cref="ControllerOptions.NodeCidrMaskSize"/>), written to <c>spec.podCIDR</c> and <c>spec.podCIDRs</c> — the
/// kube-controller-manager's range allocator (<c>pkg/controller/nodeipam/ipam/range_allocator.go</c>). The CIDRs Nodes
/// already have are taken first (the informer's initial adds arrive before any worker runs), so a restart re-learns
/// them; a deleted Node's CIDR is released. When the range is exhausted the Node gets a <c>CIDRNotAvailable</c> event
/// and waits until a CIDR is released. An existing podCIDR is never changed (the API server forbids it too).
/// </summary>
public sealed partial class NodeIpamController : IController
{
    public const string Component = "cidrAllocator";
    public const string CidrNotAvailableReason = "CIDRNotAvailable";

    private readonly IApiClient _client;
    private readonly ILogger _logger;
    private readonly ILister<V1Node> _nodes;
    private readonly WorkQueue<string> _queue;
    private readonly EventRecorder _events;

    /// <summary>Guards <see cref="_set"/>, <see cref="_reserved"/> and <see cref="_pending"/>.</summary>
    private readonly Lock _gate = new();
    private readonly NodeCidrSet _set;

    /// <summary>CIDRs taken for a Node whose patch has not shown up yet; a retry reuses them instead of leaking.</summary>
    private readonly Dictionary<string, string> _reserved = new(StringComparer.Ordinal);

    /// <summary>Nodes that found the range exhausted: retried whenever a CIDR is released.</summary>
    private readonly HashSet<string> _pending = new(StringComparer.Ordinal);

    public NodeIpamController(ControllerManager manager)
    {
        ArgumentNullException.ThrowIfNull(manager);
        _client = manager.Client;
        _logger = manager.Loggers.CreateLogger<NodeIpamController>();
        _set = NodeCidrSet.Create(manager.Options.ClusterCidr, manager.Options.NodeCidrMaskSize);
        _events = new EventRecorder(_client, manager.Options.TimeProvider, _logger);
        _queue = new WorkQueue<string>(new WorkQueueOptions { TimeProvider = manager.Options.TimeProvider });
        var nodes = manager.Informers.For<V1Node>();
        _nodes = nodes.Lister;
        nodes.AddHandler(new InformerHandler<V1Node>
        {
            Added = (node, _) => OnNode(node, added: true),
            Updated = (_, node) => OnNode(node, added: false),
            Deleted = OnDeleted,
        });
    }

    public string Name => "node-ipam";

    /// <summary>One worker: allocations are serialized (the set is locked anyway, and nodes come rarely).</summary>
    public Task RunAsync(CancellationToken cancellationToken) =>
        WorkerLoop.RunAsync(_queue, 1, SyncAsync, (key, failure) => Log.SyncFailed(_logger, failure.Level, failure.Trace, key, failure.Reason), cancellationToken);

    /// <summary>The Node's pod CIDRs: <c>podCIDRs</c>, else <c>podCIDR</c> (an older writer may set only that).</summary>
    public static IReadOnlyList<string> PodCidrs(V1Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (node.Spec?.PodCIDRs is { Count: > 0 } cidrs)
        {
            return [.. cidrs];
        }

        return string.IsNullOrEmpty(node.Spec?.PodCIDR) ? [] : [node.Spec.PodCIDR];
    }

    private void OnNode(V1Node node, bool added)
    {
        var name = node.Metadata.Name;
        var cidrs = PodCidrs(node);
        if (cidrs.Count == 0)
        {
            bool waiting;
            lock (_gate)
            {
                waiting = _pending.Contains(name);
            }

            // A Node waiting for a release is not retried on each heartbeat (that would repeat the event).
            if (added || !waiting)
            {
                _queue.Add(name);
            }

            return;
        }

        lock (_gate)
        {
            _pending.Remove(name);
            if (_reserved.Remove(name, out var reserved) && !cidrs.Contains(reserved))
            {
                _set.Release(reserved);
            }

            foreach (var cidr in cidrs)
            {
                if (!_set.Occupy(cidr))
                {
                    Log.OutOfRange(_logger, name, cidr, _set.Cluster.ToString());
                }
            }
        }
    }

    private void OnDeleted(V1Node node)
    {
        var name = node.Metadata.Name;
        var released = false;
        lock (_gate)
        {
            _pending.Remove(name);
            if (_reserved.Remove(name, out var reserved))
            {
                released |= _set.Release(reserved);
            }

            foreach (var cidr in PodCidrs(node))
            {
                released |= _set.Release(cidr);
            }

            if (released)
            {
                foreach (var pending in _pending)
                {
                    _queue.Add(pending);
                }
            }
        }

        if (released)
        {
            Log.Released(_logger, name);
        }
    }

    private async Task SyncAsync(string name, CancellationToken cancellationToken)
    {
        var node = _nodes.Get(null, name);
        if (node is null || PodCidrs(node).Count > 0)
        {
            return;
        }

        string? cidr;
        lock (_gate)
        {
            if (!_reserved.TryGetValue(name, out cidr))
            {
                cidr = _set.AllocateNext();
                if (cidr is null)
                {
                    _pending.Add(name);
                }
                else
                {
                    _reserved[name] = cidr;
                }
            }
        }

        if (cidr is null)
        {
            Log.Exhausted(_logger, name, _set.Cluster.ToString());
            await _events.RecordAsync(node, EventRecorder.Normal, CidrNotAvailableReason, $"Node {name} status is now: {CidrNotAvailableReason}", Component, cancellationToken).ConfigureAwait(false);
            return;
        }

        var patch = new JsonObject
        {
            ["spec"] = new JsonObject { ["podCIDR"] = cidr, ["podCIDRs"] = new JsonArray(cidr) },
        };
        try
        {
            await _client.PatchAsync<V1Node>(null, name, V1Patch.PatchType.MergePatch, patch.ToJsonString(), cancellationToken).ConfigureAwait(false);
            Log.Assigned(_logger, name, cidr);
        }
        catch (ApiException e) when (e.IsNotFound || e.Reason == "Invalid")
        {
            // Deleted meanwhile, or someone else gave it a CIDR first (podCIDR may only change from "").
            lock (_gate)
            {
                if (_reserved.Remove(name, out var reserved))
                {
                    _set.Release(reserved);
                }
            }
        }
    }

    /// <summary>Event ids 4400–4419 (see src/Berth.Controllers/README.md).</summary>
    private static partial class Log
    {
        [LoggerMessage(EventId = 4400, Level = LogLevel.Information, Message = "Node {Node} assigned pod CIDR {Cidr}")]
        public static partial void Assigned(ILogger logger, string node, string cidr);

        [LoggerMessage(EventId = 4401, Level = LogLevel.Warning, Message = "No pod CIDR left in {Cluster} for node {Node}")]
        public static partial void Exhausted(ILogger logger, string node, string cluster);

        [LoggerMessage(EventId = 4402, Level = LogLevel.Information, Message = "Released the pod CIDRs of node {Node}")]
        public static partial void Released(ILogger logger, string node);

        [LoggerMessage(EventId = 4403, Level = LogLevel.Warning, Message = "Node {Node} has pod CIDR {Cidr} outside the cluster CIDR {Cluster}; ignored")]
        public static partial void OutOfRange(ILogger logger, string node, string cidr, string cluster);

        /// <summary>Level and exception per <see cref="Failure"/>: Debug for a 404/409/410, Warning without a stack trace for an API or network failure, Error for a bug.</summary>
        [LoggerMessage(EventId = 4404, Message = "Assigning a pod CIDR to node {Node} failed: {Reason}; retrying")]
        public static partial void SyncFailed(ILogger logger, LogLevel level, Exception? exception, string node, string reason);
    }
}

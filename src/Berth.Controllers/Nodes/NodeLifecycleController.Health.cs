using Berth.Client;
using Berth.Client.Events;
using Berth.Controllers.Common;
using k8s.Models;
using ObjectCopy = Berth.Controllers.Common.ObjectCopy;

namespace Berth.Controllers.Nodes;

public sealed partial class NodeLifecycleController
{
    /// <summary>The conditions the controller sets to Unknown; NetworkUnavailable belongs to the network, not the agent.</summary>
    private static readonly string[] _monitoredConditions = ["Ready", "MemoryPressure", "DiskPressure", "PIDPressure"];

    /// <summary>Upstream <c>monitorNodeHealth</c>, one Node after another (a failure on one does not stop the others).</summary>
    private async Task MonitorNodeHealthAsync(CancellationToken cancellationToken)
    {
        var nodes = _nodes.List();
        var names = nodes.Select(n => n.Metadata.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var node in nodes.Where(n => !_known.ContainsKey(n.Metadata.Name)))
        {
            _known[node.Metadata.Name] = node;
            await _events.RecordAsync(node, EventRecorder.Normal, "RegisteredNode", $"Node {node.Metadata.Name} event: Registered Node {node.Metadata.Name} in Controller", Component, cancellationToken).ConfigureAwait(false);
        }

        foreach (var (name, node) in _known.Where(k => !names.Contains(k.Key)).ToList())
        {
            _known.Remove(name);
            _health.TryRemove(name, out _);
            await _events.RecordAsync(node, EventRecorder.Normal, "RemovingNode", $"Node {name} event: Removing Node {name} from Controller", Component, cancellationToken).ConfigureAwait(false);
        }

        foreach (var node in nodes)
        {
            try
            {
                await MonitorNodeAsync(node, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
#pragma warning disable CA1031 // One node's failure must not stop the others from being monitored.
            catch (Exception e)
#pragma warning restore CA1031
            {
                var failure = Failure.Of(e);
                Log.MonitorFailed(_logger, failure.Level, failure.Trace, node.Metadata.Name, failure.Reason);
            }
        }
    }

    private async Task MonitorNodeAsync(V1Node cached, CancellationToken cancellationToken)
    {
        var name = cached.Metadata.Name;
        var node = ObjectCopy.Clone(cached);
        V1NodeCondition observed;
        V1NodeCondition? current;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                (observed, current) = await TryUpdateNodeHealthAsync(node, cancellationToken).ConfigureAwait(false);
                break;
            }
            catch (ConflictException) when (attempt < UpdateRetries)
            {
                node = await _client.GetAsync<V1Node>(null, name, cancellationToken).ConfigureAwait(false);
                if (node is null)
                {
                    return;
                }
            }
        }

        if (current is null)
        {
            return;
        }

        await ProcessNoExecuteTaintsAsync(node, current.Status, cancellationToken).ConfigureAwait(false);

        var transitioned = current.Status != "True" && observed.Status == "True";
        if (transitioned || (_retry.ContainsKey(name) && observed.Status != "True"))
        {
            if (transitioned)
            {
                Log.NodeNotReady(_logger, name, current.Status);
                await _events.RecordAsync(node, EventRecorder.Normal, "NodeNotReady", $"Node {name} status is now: NodeNotReady", Component, cancellationToken).ConfigureAwait(false);
            }

            if (!await MarkPodsNotReadyAsync(name, _pods.ByIndex(PodNodeIndex.Name, name), cancellationToken).ConfigureAwait(false))
            {
                _retry[name] = true;
                return;
            }
        }

        _retry.TryRemove(name, out _);
        await EvictPodsAsync(name, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Upstream <c>tryUpdateNodeHealth</c>: the probe timestamp moves when the Ready heartbeat or the Lease's renewTime
    /// changes; past the grace period (startup grace when the Node never posted Ready) the monitored conditions become
    /// Unknown and the status is written. Returns the Ready condition as observed and as it is now.
    /// </summary>
    private async Task<(V1NodeCondition Observed, V1NodeCondition? Current)> TryUpdateNodeHealthAsync(V1Node node, CancellationToken cancellationToken)
    {
        var name = node.Metadata.Name;
        var now = _time.GetUtcNow();
        _health.TryGetValue(name, out var health);
        var currentReady = Condition(node, "Ready");
        var created = node.Metadata.CreationTimestamp is { } c ? new DateTimeOffset(DateTime.SpecifyKind(c, DateTimeKind.Utc)) : now;
        V1NodeCondition observed;
        TimeSpan grace;
        if (currentReady is null)
        {
            observed = new V1NodeCondition { Type = "Ready", Status = "Unknown", LastHeartbeatTime = created.UtcDateTime, LastTransitionTime = created.UtcDateTime };
            grace = _options.NodeStartupGracePeriod;
            health = health is null ? new NodeHealth(created, created, null, null) : health with { Ready = null };
        }
        else
        {
            observed = ObjectCopy.Clone(currentReady);
            grace = _options.NodeMonitorGracePeriod;
        }

        var saved = health?.Ready;
        var savedLease = health?.LeaseRenewTime;
        if (health is null || (saved is null && currentReady is not null) || (saved is not null && currentReady is null))
        {
            health = new NodeHealth(now, now, currentReady, null);
        }
        else if (saved is not null && currentReady is not null && saved.LastHeartbeatTime != currentReady.LastHeartbeatTime)
        {
            var transition = saved.LastTransitionTime != currentReady.LastTransitionTime ? now : health.ReadyTransitionTimestamp;
            health = new NodeHealth(now, transition, currentReady, health.LeaseRenewTime);
        }

        // Always move the probe time when the lease was renewed (a node may post status rarely but renew its lease).
        var lease = _leases.Get(LeaseNamespace, name);
        if (lease?.Spec?.RenewTime is { } renewed && (savedLease is null || savedLease < renewed))
        {
            health = health with { ProbeTimestamp = now, LeaseRenewTime = renewed };
        }

        try
        {
            if (now > health.ProbeTimestamp + grace)
            {
                MarkConditionsUnknown(node, created, now);
                currentReady = Condition(node, "Ready");
                if (!SameCondition(currentReady, observed))
                {
                    await _client.UpdateStatusAsync(node, cancellationToken).ConfigureAwait(false);
                    Log.StatusUnknown(_logger, name, (now - health.ProbeTimestamp).TotalSeconds);
                    health = new NodeHealth(health.ProbeTimestamp, now, currentReady, health.LeaseRenewTime);
                }
            }
        }
        finally
        {
            _health[name] = health;
        }

        return (observed, currentReady);
    }

    private static void MarkConditionsUnknown(V1Node node, DateTimeOffset created, DateTimeOffset now)
    {
        node.Status ??= new V1NodeStatus();
        node.Status.Conditions ??= [];
        foreach (var type in _monitoredConditions)
        {
            var condition = Condition(node, type);
            if (condition is null)
            {
                node.Status.Conditions.Add(new V1NodeCondition
                {
                    Type = type,
                    Status = "Unknown",
                    Reason = "NodeStatusNeverUpdated",
                    Message = "Kubelet never posted node status.",
                    LastHeartbeatTime = created.UtcDateTime,
                    LastTransitionTime = Seconds(now),
                });
            }
            else if (condition.Status != "Unknown")
            {
                condition.Status = "Unknown";
                condition.Reason = "NodeStatusUnknown";
                condition.Message = "Kubelet stopped posting node status.";
                condition.LastTransitionTime = Seconds(now);
            }
        }
    }

    private static bool SameCondition(V1NodeCondition? a, V1NodeCondition b) =>
        a is not null
        && a.Status == b.Status
        && a.Reason == b.Reason
        && a.Message == b.Message
        && a.LastHeartbeatTime == b.LastHeartbeatTime
        && a.LastTransitionTime == b.LastTransitionTime;
}

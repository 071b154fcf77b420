using Berth.Client;
using Berth.Controllers.Common;
using k8s.Models;

namespace Berth.Controllers.Nodes;

public sealed partial class NodeLifecycleController
{
    /// <summary>Upstream <c>nodeConditionToTaintKeyStatusMap</c>: (condition, status) → the NoSchedule taint it means.</summary>
    private static readonly (string Condition, string Status, string Taint)[] _conditionTaints =
    [
        ("Ready", "False", TaintUtil.NotReady),
        ("Ready", "Unknown", TaintUtil.Unreachable),
        ("MemoryPressure", "True", TaintUtil.MemoryPressure),
        ("DiskPressure", "True", TaintUtil.DiskPressure),
        ("NetworkUnavailable", "True", TaintUtil.NetworkUnavailable),
        ("PIDPressure", "True", TaintUtil.PidPressure),
    ];

    /// <summary>
    /// Upstream <c>doNoScheduleTaintingPass</c>: the NoSchedule taints of the Node's conditions (and of
    /// spec.unschedulable) are added, the ones no longer meant are removed; other taints are left alone.
    /// </summary>
    private async Task SyncNoScheduleTaintsAsync(string name, CancellationToken cancellationToken)
    {
        var node = _nodes.Get(null, name);
        if (node is null)
        {
            return;
        }

        var wanted = _conditionTaints
            .Where(m => Condition(node, m.Condition)?.Status == m.Status)
            .Select(m => m.Taint)
            .ToList();
        if (node.Spec?.Unschedulable == true)
        {
            wanted.Add(TaintUtil.Unschedulable);
        }

        var managed = _conditionTaints.Select(m => m.Taint).Append(TaintUtil.Unschedulable).ToHashSet(StringComparer.Ordinal);
        var present = (node.Spec?.Taints ?? [])
            .Where(t => t.Effect == TaintUtil.NoSchedule && managed.Contains(t.Key))
            .Select(t => t.Key)
            .ToHashSet(StringComparer.Ordinal);
        var add = wanted.Where(k => !present.Contains(k)).ToList();
        var remove = present.Where(k => !wanted.Contains(k)).ToList();
        if (add.Count == 0 && remove.Count == 0)
        {
            return;
        }

        await SwapTaintsAsync(
            name,
            [.. add.Select(k => (k, TaintUtil.NoSchedule))],
            [.. remove.Select(k => (k, TaintUtil.NoSchedule))],
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Upstream <c>processTaintBaseEviction</c> + <c>doNoExecuteTaintingPass</c> (without the zone rate limiter): Ready
    /// Unknown ⇒ unreachable:NoExecute, False ⇒ not-ready:NoExecute (the two exclusive), True ⇒ neither.
    /// </summary>
    private Task ProcessNoExecuteTaintsAsync(V1Node node, string readyStatus, CancellationToken cancellationToken)
    {
        var taints = node.Spec?.Taints;
        var (want, opposite) = readyStatus switch
        {
            "False" => (TaintUtil.NotReady, TaintUtil.Unreachable),
            "Unknown" => (TaintUtil.Unreachable, TaintUtil.NotReady),
            _ => ((string?)null, (string?)null),
        };
        if (want is null)
        {
            return TaintUtil.Has(taints, TaintUtil.Unreachable, TaintUtil.NoExecute) || TaintUtil.Has(taints, TaintUtil.NotReady, TaintUtil.NoExecute)
                ? SwapTaintsAsync(node.Metadata.Name, [], [(TaintUtil.Unreachable, TaintUtil.NoExecute), (TaintUtil.NotReady, TaintUtil.NoExecute)], cancellationToken)
                : Task.CompletedTask;
        }

        return TaintUtil.Has(taints, want, TaintUtil.NoExecute) && !TaintUtil.Has(taints, opposite!, TaintUtil.NoExecute)
            ? Task.CompletedTask
            : SwapTaintsAsync(node.Metadata.Name, [(want, TaintUtil.NoExecute)], [(opposite!, TaintUtil.NoExecute)], cancellationToken);
    }

    /// <summary>
    /// Upstream <c>SwapNodeControllerTaint</c>: adds and removes taints (by key and effect) on the freshest Node,
    /// retrying on conflict. Added NoExecute taints carry <c>timeAdded</c> (the API says only those do).
    /// </summary>
    private async Task SwapTaintsAsync(string name, IReadOnlyList<(string Key, string Effect)> add, IReadOnlyList<(string Key, string Effect)> remove, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var node = await _client.GetAsync<V1Node>(null, name, cancellationToken).ConfigureAwait(false);
            if (node is null)
            {
                return;
            }

            var taints = (node.Spec?.Taints ?? []).Where(t => !remove.Contains((t.Key, t.Effect))).ToList();
            var removed = (node.Spec?.Taints?.Count ?? 0) - taints.Count;
            var added = 0;
            foreach (var (key, effect) in add.Where(a => !TaintUtil.Has(taints, a.Key, a.Effect)))
            {
                taints.Add(new V1Taint { Key = key, Effect = effect, TimeAdded = effect == TaintUtil.NoExecute ? Seconds(_time.GetUtcNow()) : null });
                added++;
            }

            if (added == 0 && removed == 0)
            {
                return;
            }

            node.Spec ??= new V1NodeSpec();
            node.Spec.Taints = taints.Count == 0 ? null : taints;
            try
            {
                await _client.UpdateAsync(node, cancellationToken).ConfigureAwait(false);
                Log.TaintsChanged(_logger, name, string.Join(", ", add.Select(a => a.Key + ":" + a.Effect)), string.Join(", ", remove.Select(r => r.Key + ":" + r.Effect)));
                return;
            }
            catch (ConflictException) when (attempt < UpdateRetries)
            {
            }
        }
    }
}

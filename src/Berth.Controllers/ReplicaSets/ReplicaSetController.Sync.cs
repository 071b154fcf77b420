using System.Text.Json;
using Berth.Client;
using Berth.Controllers.Common;
using k8s;
using k8s.Models;
using ObjectCopy = Berth.Controllers.Common.ObjectCopy;

namespace Berth.Controllers.ReplicaSets;

public sealed partial class ReplicaSetController
{
    /// <summary>
    /// Upstream <c>syncReplicaSet</c>: claim pods, then — only when the earlier creates/deletes have all been observed —
    /// create or delete pods, then write status when it changed; requeue for minReadySeconds.
    /// </summary>
    private async Task SyncAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = ObjectKeys.Split(key);
        var rs = _replicaSets.Get(ns, name);
        if (rs is null)
        {
            _expectations.Delete(key);
            return;
        }

        var needsSync = _expectations.IsSatisfied(key);
        var candidates = _pods.List(ns).Where(PodUtil.IsActive).ToList();
        var owned = await ClaimAsync(rs, ReplicaSetPlanner.ClaimPods(rs, candidates), cancellationToken).ConfigureAwait(false);
        var plan = ReplicaSetPlanner.Plan(rs, owned, _time.GetUtcNow(), RelatedPods(rs));

        Exception? failure = null;
        if (needsSync && rs.Metadata.DeletionTimestamp is null)
        {
            if (plan.PodsToCreate > 0)
            {
                failure = await CreatePodsAsync(key, rs, plan.PodsToCreate, cancellationToken).ConfigureAwait(false);
            }
            else if (plan.PodsToDelete.Count > 0)
            {
                failure = await DeletePodsAsync(key, rs, plan.PodsToDelete, cancellationToken).ConfigureAwait(false);
            }
        }

        if (CanonicalJson.Render(plan.Status) != (rs.Status is null ? "null" : CanonicalJson.Render(rs.Status)))
        {
            var updated = ObjectCopy.Clone(rs);
            updated.Status = plan.Status;
            await _source.UpdateStatusAsync(updated, cancellationToken).ConfigureAwait(false);
        }

        if (failure is not null)
        {
            throw failure;
        }

        if (plan.RequeueAfter is { } delay)
        {
            _queue.AddAfter(key, delay);
        }
    }

    /// <summary>Adopts and releases as the claim says (<see cref="PodClaimer"/>); returns the owned pods.</summary>
    private Task<IReadOnlyList<V1Pod>> ClaimAsync(V1ReplicaSet rs, PodClaim claim, CancellationToken cancellationToken) =>
        PodClaimer.ApplyAsync(
            _client,
            ServiceUtil.ControllerRef(rs.Metadata, _source.ApiVersion, _source.Kind),
            rs.Metadata.NamespaceProperty,
            claim,
            ct => _source.GetFreshAsync(rs.Metadata.NamespaceProperty, rs.Metadata.Name, ct),
            cancellationToken);

    /// <summary>Active pods of every ReplicaSet with the same controller (a Deployment's), for spreading scale-down.</summary>
    private List<V1Pod>? RelatedPods(V1ReplicaSet rs)
    {
        if (PodUtil.ControllerOf(rs.Metadata)?.Uid is not { Length: > 0 } ownerUid)
        {
            return null;
        }

        return [.. _replicaSets.List(rs.Metadata.NamespaceProperty)
            .Where(r => PodUtil.ControllerOf(r.Metadata)?.Uid == ownerUid)
            .SelectMany(r => _pods.ByIndex(ControllerIndex.Name, r.Metadata.Uid))];
    }

    /// <summary>Creates <paramref name="count"/> pods from the template (<see cref="PodControl"/>: slow-start batches, events, expectations).</summary>
    private async Task<Exception?> CreatePodsAsync(string key, V1ReplicaSet rs, int count, CancellationToken cancellationToken)
    {
        Log.Creating(_logger, key, count);
        var pods = Enumerable.Range(0, count).Select(_ => ReplicaSetPlanner.PodFromTemplate(rs, _source.ApiVersion, _source.Kind)).ToList();
        var (_, failure) = await _podControl.CreatePodsAsync(key, rs, pods, e => Log.CreateFailed(_logger, key, e.Message), cancellationToken).ConfigureAwait(false);
        return failure;
    }

    private Task<Exception?> DeletePodsAsync(string key, V1ReplicaSet rs, IReadOnlyList<V1Pod> pods, CancellationToken cancellationToken)
    {
        Log.Deleting(_logger, key, pods.Count);
        return _podControl.DeletePodsAsync(key, rs, pods, (pod, e) => Log.DeleteFailed(_logger, key, pod.Metadata.Name, e.Message), cancellationToken);
    }
}

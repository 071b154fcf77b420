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
            await _client.UpdateStatusAsync(updated, cancellationToken).ConfigureAwait(false);
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

    /// <summary>
    /// Adopts and releases as the claim says (<c>PodControllerRefManager</c>): strategic merge patches of
    /// ownerReferences, merged by uid. Adoption first re-reads the ReplicaSet from the API (upstream
    /// <c>RecheckDeletionTimestamp</c>) so a deleted or replaced ReplicaSet adopts nothing. Returns the owned pods.
    /// </summary>
    private async Task<IReadOnlyList<V1Pod>> ClaimAsync(V1ReplicaSet rs, PodClaim claim, CancellationToken cancellationToken)
    {
        var ns = rs.Metadata.NamespaceProperty;
        foreach (var pod in claim.ToRelease)
        {
            var body = JsonSerializer.Serialize(new
            {
                metadata = new { ownerReferences = new object[] { new Dictionary<string, string> { ["$patch"] = "delete", ["uid"] = rs.Metadata.Uid } } },
            });
            try
            {
                await _client.PatchAsync<V1Pod>(ns, pod.Metadata.Name, V1Patch.PatchType.StrategicMergePatch, body, cancellationToken).ConfigureAwait(false);
            }
            catch (ApiException e) when (e.IsNotFound)
            {
                // gone already: nothing to release
            }
        }

        if (claim.ToAdopt.Count == 0)
        {
            return claim.Owned;
        }

        var fresh = await _client.GetAsync<V1ReplicaSet>(ns, rs.Metadata.Name, cancellationToken).ConfigureAwait(false);
        if (fresh is null || fresh.Metadata.Uid != rs.Metadata.Uid || fresh.Metadata.DeletionTimestamp is not null)
        {
            return [.. claim.Owned.Except(claim.ToAdopt)];
        }

        var owned = claim.Owned.ToList();
        var reference = ServiceUtil.ControllerRef(rs.Metadata, "apps/v1", "ReplicaSet");
        var adopt = KubernetesJson.Serialize(new V1Pod { Metadata = new V1ObjectMeta { OwnerReferences = [reference] } });
        foreach (var pod in claim.ToAdopt)
        {
            try
            {
                await _client.PatchAsync<V1Pod>(ns, pod.Metadata.Name, V1Patch.PatchType.StrategicMergePatch, adopt, cancellationToken).ConfigureAwait(false);
            }
            catch (ApiException e) when (e.IsNotFound)
            {
                owned.Remove(pod);
            }
        }

        return owned;
    }

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
        var pods = Enumerable.Range(0, count).Select(_ => ReplicaSetPlanner.PodFromTemplate(rs)).ToList();
        var (_, failure) = await _podControl.CreatePodsAsync(key, rs, pods, e => Log.CreateFailed(_logger, key, e.Message), cancellationToken).ConfigureAwait(false);
        return failure;
    }

    private Task<Exception?> DeletePodsAsync(string key, V1ReplicaSet rs, IReadOnlyList<V1Pod> pods, CancellationToken cancellationToken)
    {
        Log.Deleting(_logger, key, pods.Count);
        return _podControl.DeletePodsAsync(key, rs, pods, (pod, e) => Log.DeleteFailed(_logger, key, pod.Metadata.Name, e.Message), cancellationToken);
    }
}

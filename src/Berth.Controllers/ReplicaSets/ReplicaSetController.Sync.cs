using System.Text.Json;
using Berth.Client;
using Berth.Client.Events;
using Berth.Controllers.Common;
using k8s;
using k8s.Models;
using ObjectCopy = Berth.Controllers.Common.ObjectCopy;

namespace Berth.Controllers.ReplicaSets;

public sealed partial class ReplicaSetController
{
    // Event reasons of upstream pkg/controller/controller_utils.go.
    private const string SuccessfulCreateReason = "SuccessfulCreate";
    private const string FailedCreateReason = "FailedCreate";
    private const string SuccessfulDeleteReason = "SuccessfulDelete";
    private const string FailedDeleteReason = "FailedDelete";


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

    /// <summary>Adopts and releases as the claim says (<see cref="PodClaimer"/>); returns the owned pods.</summary>
    private Task<IReadOnlyList<V1Pod>> ClaimAsync(V1ReplicaSet rs, PodClaim claim, CancellationToken cancellationToken) =>
        PodClaimer.ApplyAsync(
            _client,
            ServiceUtil.ControllerRef(rs.Metadata, "apps/v1", "ReplicaSet"),
            rs.Metadata.NamespaceProperty,
            claim,
            async ct => (await _client.GetAsync<V1ReplicaSet>(rs.Metadata.NamespaceProperty, rs.Metadata.Name, ct).ConfigureAwait(false))?.Metadata,
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

    /// <summary>
    /// Upstream <c>slowStartBatch</c>: creates in batches of 1, 2, 4, … and stops at the first failing batch, so a
    /// quota or admission error costs one call, not <paramref name="count"/>. Creates never issued are un-expected.
    /// </summary>
    private async Task<Exception?> CreatePodsAsync(string key, V1ReplicaSet rs, int count, CancellationToken cancellationToken)
    {
        Log.Creating(_logger, key, count);
        _expectations.ExpectCreations(key, count);
        var remaining = count;
        for (var batch = 1; remaining > 0; batch = Math.Min(batch * 2, remaining))
        {
            batch = Math.Min(batch, remaining);
            var results = await Task.WhenAll(Enumerable.Range(0, batch).Select(_ => CreatePodAsync(key, rs, cancellationToken))).ConfigureAwait(false);
            remaining -= batch;
            if (results.FirstOrDefault(r => r is not null) is { } failure)
            {
                for (var i = 0; i < remaining; i++)
                {
                    _expectations.CreationObserved(key);
                }

                return failure;
            }
        }

        return null;
    }

    /// <summary>Upstream <c>RealPodControl.CreatePods</c>: one pod, and a SuccessfulCreate or FailedCreate event on the ReplicaSet.</summary>
    private async Task<Exception?> CreatePodAsync(string key, V1ReplicaSet rs, CancellationToken cancellationToken)
    {
        V1Pod created;
        try
        {
            created = await _client.CreateAsync(ReplicaSetPlanner.PodFromTemplate(rs), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The informer will never see this pod (whatever failed: the expectation must be lowered, or the
            // ReplicaSet waits for the expectations timeout).
            Log.CreateFailed(_logger, key, e.Message);
            _expectations.CreationObserved(key);
            if (!IsNamespaceTerminating(e))
            {
                await _events.RecordAsync(rs, EventRecorder.Warning, FailedCreateReason, "Error creating: " + e.Message, Component, cancellationToken).ConfigureAwait(false);
            }

            return e;
        }

        await _events.RecordAsync(rs, EventRecorder.Normal, SuccessfulCreateReason, "Created pod: " + created.Metadata.Name, Component, cancellationToken).ConfigureAwait(false);
        return null;
    }

    /// <summary>
    /// Upstream sends no FailedCreate event when the namespace is terminating (every later create fails the same way);
    /// the API server marks that Forbidden with a <c>NamespaceTerminating</c> cause.
    /// </summary>
    private static bool IsNamespaceTerminating(Exception e) =>
        e is ApiException { IsNamespaceTerminating: true };

    private async Task<Exception?> DeletePodsAsync(string key, V1ReplicaSet rs, IReadOnlyList<V1Pod> pods, CancellationToken cancellationToken)
    {
        Log.Deleting(_logger, key, pods.Count);
        _expectations.ExpectDeletions(key, pods.Select(ObjectKeys.Of));
        var results = await Task.WhenAll(pods.Select(async pod =>
        {
            // Upstream RealPodControl.DeletePod: SuccessfulDelete or FailedDelete on the ReplicaSet; no event for a pod already gone.
            try
            {
                await _client.DeleteAsync<V1Pod>(pod.Metadata.NamespaceProperty, pod.Metadata.Name, null, cancellationToken).ConfigureAwait(false);
            }
            catch (ApiException e) when (e.IsNotFound)
            {
                _expectations.DeletionObserved(key, ObjectKeys.Of(pod));
                return null;
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Log.DeleteFailed(_logger, key, pod.Metadata.Name, e.Message);
                _expectations.DeletionObserved(key, ObjectKeys.Of(pod));
                await _events.RecordAsync(rs, EventRecorder.Warning, FailedDeleteReason, "Error deleting: " + e.Message, Component, cancellationToken).ConfigureAwait(false);
                return e;
            }

            await _events.RecordAsync(rs, EventRecorder.Normal, SuccessfulDeleteReason, "Deleted pod: " + pod.Metadata.Name, Component, cancellationToken).ConfigureAwait(false);
            return null;
        })).ConfigureAwait(false);
        return results.FirstOrDefault(r => r is not null);
    }
}

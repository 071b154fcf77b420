using Berth.Client;
using Berth.Client.Events;
using Berth.Controllers.Common;
using Berth.Controllers.ReplicaSets;
using k8s.Models;
using ObjectCopy = Berth.Controllers.Common.ObjectCopy;

namespace Berth.Controllers.StatefulSets;

public sealed partial class StatefulSetController
{
    /// <summary>
    /// Upstream <c>syncStatefulSet</c>: claim the set's pods (named <c>&lt;set&gt;-&lt;n&gt;</c> and selected), make sure
    /// the ControllerRevision of the template exists, plan, create and delete pods, write status when it changed, trim
    /// the revision history, and requeue for minReadySeconds.
    /// </summary>
    private async Task SyncAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = ObjectKeys.Split(key);
        var set = _sets.Get(ns, name);
        if (set is null)
        {
            return;
        }

        var candidates = _pods.List(ns).Where(p => StatefulSetPlanner.OrdinalOf(name, p.Metadata?.Name) is not null).ToList();
        var pods = await PodClaimer.ApplyAsync(
            _client,
            ServiceUtil.ControllerRef(set.Metadata, "apps/v1", "StatefulSet"),
            set.Metadata.NamespaceProperty,
            ReplicaSetPlanner.ClaimPods(set.Metadata, set.Spec?.Selector, candidates),
            async ct => (await _client.GetAsync<V1StatefulSet>(ns, name, ct).ConfigureAwait(false))?.Metadata,
            cancellationToken).ConfigureAwait(false);
        var revisions = _revisions.ByIndex(ControllerIndex.Name, set.Metadata.Uid).ToList();
        if (await EnsureUpdateRevisionAsync(key, set, revisions, cancellationToken).ConfigureAwait(false) is not { } update)
        {
            return; // a name collision: the status now carries a higher collisionCount, whose update brings us back
        }

        var current = revisions.FirstOrDefault(r => r.Metadata.Name == set.Status?.CurrentRevision) ?? update;
        var plan = StatefulSetPlanner.Plan(set, pods, current.Metadata.Name, update.Metadata.Name, _time.GetUtcNow());

        var failure = await ApplyAsync(key, set, plan, [.. revisions, update], cancellationToken).ConfigureAwait(false);
        if (CanonicalJson.Render(plan.Status) != (set.Status is null ? "null" : CanonicalJson.Render(set.Status)))
        {
            var updated = ObjectCopy.Clone(set);
            updated.Status = plan.Status;
            await _client.UpdateStatusAsync(updated, cancellationToken).ConfigureAwait(false);
        }

        foreach (var old in StatefulSetRevisions.ToTruncate(set, revisions, pods, plan.Status.CurrentRevision, update.Metadata.Name))
        {
            await IgnoreGoneAsync(_client.DeleteAsync<V1ControllerRevision>(ns, old.Metadata.Name, null, cancellationToken)).ConfigureAwait(false);
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
    /// Upstream <c>getStatefulSetRevisions</c>: the revision that records the set's template — an existing one (moved
    /// to the newest revision number when it is an older one, as a rollback does) or a new one. A name taken by
    /// another template raises status.collisionCount and returns null.
    /// </summary>
    private async Task<V1ControllerRevision?> EnsureUpdateRevisionAsync(string key, V1StatefulSet set, List<V1ControllerRevision> revisions, CancellationToken cancellationToken)
    {
        var newest = revisions.Count == 0 ? 0 : revisions.Max(r => r.Revision ?? 0);
        if (revisions.Where(r => StatefulSetRevisions.Records(r, set.Spec?.Template)).MaxBy(r => r.Revision ?? 0) is { } existing)
        {
            if ((existing.Revision ?? 0) == newest)
            {
                return existing;
            }

            var moved = ObjectCopy.Clone(existing);
            moved.Revision = newest + 1;
            return await _client.UpdateAsync(moved, cancellationToken).ConfigureAwait(false);
        }

        var collisionCount = set.Status?.CollisionCount ?? 0;
        var revision = StatefulSetRevisions.New(set, newest + 1, collisionCount);
        try
        {
            return await _client.CreateAsync(revision, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException e) when (e.IsAlreadyExists)
        {
            var taken = await _client.GetAsync<V1ControllerRevision>(set.Metadata.NamespaceProperty, revision.Metadata.Name, cancellationToken).ConfigureAwait(false);
            if (taken is not null && PodUtil.ControllerOf(taken.Metadata)?.Uid == set.Metadata.Uid && StatefulSetRevisions.Records(taken, set.Spec?.Template))
            {
                return taken; // ours, not yet in the informer's cache
            }

            Log.RevisionCollision(_logger, key, revision.Metadata.Name, collisionCount + 1);
            var updated = ObjectCopy.Clone(set);
            updated.Status ??= new V1StatefulSetStatus();
            updated.Status.CollisionCount = collisionCount + 1;
            await _client.UpdateStatusAsync(updated, cancellationToken).ConfigureAwait(false);
            return null;
        }
    }

    /// <summary>Creates and deletes the plan's pods (each with upstream's event); returns the first failure.</summary>
    private async Task<Exception?> ApplyAsync(string key, V1StatefulSet set, StatefulSetPlan plan, IReadOnlyList<V1ControllerRevision> revisions, CancellationToken cancellationToken)
    {
        var creates = plan.PodsToCreate.Select(async create =>
        {
            var template = revisions.FirstOrDefault(r => r.Metadata.Name == create.Revision) is { } revision
                ? StatefulSetRevisions.TemplateOf(revision) ?? set.Spec.Template
                : set.Spec.Template;
            var pod = StatefulSetPlanner.NewPod(set, template, create.Revision, create.Ordinal);
            Log.Creating(_logger, key, pod.Metadata.Name, create.Revision);
            try
            {
                await _client.CreateAsync(pod, cancellationToken).ConfigureAwait(false);
            }
            catch (ApiException e) when (e.IsAlreadyExists)
            {
                return null; // created already; the informer has not shown it yet
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                if (e is not ApiException { IsNamespaceTerminating: true })
                {
                    await RecordAsync(set, EventRecorder.Warning, "FailedCreate", $"create Pod {pod.Metadata.Name} in StatefulSet {set.Metadata.Name} failed error: {e.Message}", cancellationToken).ConfigureAwait(false);
                }

                return e;
            }

            await RecordAsync(set, EventRecorder.Normal, "SuccessfulCreate", $"create Pod {pod.Metadata.Name} in StatefulSet {set.Metadata.Name} successful", cancellationToken).ConfigureAwait(false);
            return (Exception?)null;
        });
        var deletes = plan.PodsToDelete.Select(async pod =>
        {
            Log.Deleting(_logger, key, pod.Metadata.Name);
            try
            {
                // The UID precondition keeps a stale cache from deleting the pod that already replaced this one.
                var options = new V1DeleteOptions { Preconditions = new V1Preconditions { Uid = pod.Metadata.Uid } };
                await _client.DeleteAsync<V1Pod>(pod.Metadata.NamespaceProperty, pod.Metadata.Name, options, cancellationToken).ConfigureAwait(false);
            }
            catch (ApiException e) when (e.IsNotFound || e.Code == 409)
            {
                return null;
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                await RecordAsync(set, EventRecorder.Warning, "FailedDelete", $"delete Pod {pod.Metadata.Name} in StatefulSet {set.Metadata.Name} failed error: {e.Message}", cancellationToken).ConfigureAwait(false);
                return e;
            }

            await RecordAsync(set, EventRecorder.Normal, "SuccessfulDelete", $"delete Pod {pod.Metadata.Name} in StatefulSet {set.Metadata.Name} successful", cancellationToken).ConfigureAwait(false);
            return (Exception?)null;
        });
        var results = await Task.WhenAll(creates.Concat(deletes)).ConfigureAwait(false);
        return results.FirstOrDefault(r => r is not null);
    }

    private Task RecordAsync(V1StatefulSet set, string type, string reason, string message, CancellationToken cancellationToken) =>
        _events.RecordAsync(set, type, reason, message, Component, cancellationToken);

    private static async Task IgnoreGoneAsync(Task call)
    {
        try
        {
            await call.ConfigureAwait(false);
        }
        catch (ApiException e) when (e.IsNotFound)
        {
        }
    }
}

using System.Text.Json;
using Berth.Client;
using Berth.Client.Events;
using Berth.Controllers.Common;
using Berth.Controllers.ReplicaSets;
using Berth.Core.Strategies;
using k8s.Models;
using ObjectCopy = Berth.Controllers.Common.ObjectCopy;

namespace Berth.Controllers.Jobs;

public sealed partial class JobController
{
    /// <summary>The strategic merge patch that takes the tracking finalizer off a pod (upstream <c>removeTrackingFinalizerPatch</c>).</summary>
    private static readonly string _removeFinalizerPatch = JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["metadata"] = new Dictionary<string, object> { ["$deleteFromPrimitiveList/finalizers"] = new[] { BatchLabels.TrackingFinalizer } },
    });

    /// <summary>
    /// Upstream <c>syncJob</c>: plan from the cache, then record newly finished pods as uncounted, remove their
    /// finalizers, create and delete pods (only when earlier ones were all observed), write the counted status, and
    /// record the events of what changed.
    /// </summary>
    private async Task SyncAsync(string key, CancellationToken cancellationToken)
    {
        if (key.StartsWith(OrphanPrefix, StringComparison.Ordinal))
        {
            await ReleaseOrphanAsync(key[OrphanPrefix.Length..], cancellationToken).ConfigureAwait(false);
            return;
        }

        var (ns, name) = ObjectKeys.Split(key);
        var job = _jobs.Get(ns, name);
        if (job is null)
        {
            _expectations.Delete(key);
            return;
        }

        if (!_expectations.IsSatisfied(key))
        {
            // Earlier creates or deletes are not in the cache yet: their informer events enqueue the Job again.
            return;
        }

        var pods = _pods.ByIndex(ControllerIndex.Name, job.Metadata.Uid).ToList();
        var plan = JobPlanner.Plan(job, pods, _time.GetUtcNow(), Tracked);
        var current = job;
        if (plan.UncountedStatus is { } uncounted)
        {
            var recorded = ObjectCopy.Clone(job);
            recorded.Status = uncounted;
            current = await _client.UpdateStatusAsync(recorded, cancellationToken).ConfigureAwait(false);
        }

        await RemoveFinalizersAsync(plan.RemoveFinalizers, cancellationToken).ConfigureAwait(false);
        var failedCreates = plan.Create.Count > 0 ? await CreatePodsAsync(key, job, plan.Create, cancellationToken).ConfigureAwait(false) : 0;
        var deleteFailure = plan.Delete.Count > 0 ? await DeletePodsAsync(key, job, plan.Delete, cancellationToken).ConfigureAwait(false) : null;

        var status = plan.Status;
        if (failedCreates > 0)
        {
            status.Active = (status.Active ?? 0) - failedCreates is > 0 and var active ? active : null;
        }

        if (CanonicalJson.Render(status) != (current.Status is null ? "null" : CanonicalJson.Render(current.Status)))
        {
            var updated = ObjectCopy.Clone(current);
            updated.Status = status;
            await _client.UpdateStatusAsync(updated, cancellationToken).ConfigureAwait(false);
        }

        foreach (var e in plan.Events)
        {
            await _events.RecordAsync(job, e.Type, e.Reason, e.Message, Component, cancellationToken).ConfigureAwait(false);
        }

        if (failedCreates > 0)
        {
            throw new InvalidOperationException($"{failedCreates} of {plan.Create.Count} pods of Job {key} could not be created");
        }

        if (deleteFailure is not null)
        {
            throw deleteFailure;
        }

        if (plan.RequeueAfter is { } delay)
        {
            _queue.AddAfter(key, delay);
        }
    }

    /// <summary>Removes the tracking finalizer from each pod; a pod already gone needs nothing. Throws the first failure after trying all.</summary>
    private async Task RemoveFinalizersAsync(IReadOnlyList<V1Pod> pods, CancellationToken cancellationToken)
    {
        var failures = await Task.WhenAll(pods.Select(p => RemoveFinalizerAsync(p, cancellationToken))).ConfigureAwait(false);
        if (failures.FirstOrDefault(f => f is not null) is { } failure)
        {
            throw failure;
        }
    }

    private async Task<Exception?> RemoveFinalizerAsync(V1Pod pod, CancellationToken cancellationToken)
    {
        // Marked before the patch: a sync racing with the informer must never count this pod twice.
        _finalizerRemoved[pod.Metadata.Uid] = 0;
        try
        {
            await _client.PatchAsync<V1Pod>(pod.Metadata.NamespaceProperty, pod.Metadata.Name, V1Patch.PatchType.StrategicMergePatch, _removeFinalizerPatch, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (ApiException e) when (e.IsNotFound)
        {
            return null;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _finalizerRemoved.TryRemove(pod.Metadata.Uid, out _);
            return e;
        }
    }

    /// <summary>
    /// A pod whose controller Job is gone (deleted, or replaced by one of the same name) keeps nothing of it but the
    /// tracking finalizer: upstream removes it, or the pod could never go away. The API is asked, not the cache.
    /// </summary>
    private async Task ReleaseOrphanAsync(string podKey, CancellationToken cancellationToken)
    {
        var (ns, name) = ObjectKeys.Split(podKey);
        if (_pods.Get(ns, name) is not { } pod || !JobPlanner.HasTrackingFinalizer(pod) || PodUtil.ControllerOf(pod.Metadata) is not { Kind: "Job" } owner)
        {
            return;
        }

        var job = await _client.GetAsync<V1Job>(ns, owner.Name, cancellationToken).ConfigureAwait(false);
        if (job is not null && job.Metadata.Uid == owner.Uid && job.Metadata.DeletionTimestamp is null)
        {
            _queue.Add(ObjectKeys.Of(job));
            return;
        }

        Log.ReleasingOrphan(_logger, podKey);
        if (await RemoveFinalizerAsync(pod, cancellationToken).ConfigureAwait(false) is { } failure)
        {
            throw failure;
        }
    }

    /// <summary>Upstream <c>manageJob</c>'s creates (<see cref="PodControl"/>: slow-start batches, events, expectations). Returns how many pods were not created.</summary>
    private async Task<int> CreatePodsAsync(string key, V1Job job, IReadOnlyList<int?> indexes, CancellationToken cancellationToken)
    {
        Log.Creating(_logger, key, indexes.Count);
        var pods = indexes.Select(i => JobPlanner.PodFromTemplate(job, i)).ToList();
        var (notCreated, _) = await _podControl.CreatePodsAsync(key, job, pods, e => Log.CreateFailed(_logger, key, e.Message), cancellationToken).ConfigureAwait(false);
        return notCreated;
    }

    private Task<Exception?> DeletePodsAsync(string key, V1Job job, IReadOnlyList<V1Pod> pods, CancellationToken cancellationToken)
    {
        Log.Deleting(_logger, key, pods.Count);
        return _podControl.DeletePodsAsync(key, job, pods, (_, _) => { }, cancellationToken);
    }
}

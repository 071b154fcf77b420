using System.Text.Json;
using Berth.Client;
using Berth.Client.Events;
using Berth.Controllers.Common;
using Berth.Controllers.ReplicaSets;
using k8s;
using k8s.Models;
using ObjectCopy = Berth.Controllers.Common.ObjectCopy;

namespace Berth.Controllers.Deployments;

public sealed partial class DeploymentController
{
    // Event reasons of upstream pkg/controller/deployment (sync.go) and deployment/util (FailedRSCreateReason).
    private const string ScalingReplicaSetReason = "ScalingReplicaSet";
    private const string FailedReplicaSetCreateReason = "ReplicaSetCreateError";

    /// <summary>Upstream <c>syncDeployment</c>: claim ReplicaSets, plan one step, apply it in order, write status.</summary>
    private async Task SyncAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = ObjectKeys.Split(key);
        var deployment = _deployments.Get(ns, name);
        if (deployment?.Spec is null)
        {
            return;
        }

        var owned = await ClaimAsync(deployment, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<V1Pod> pods = DeploymentMath.IsRollingUpdate(deployment)
            ? []
            : [.. owned.SelectMany(rs => _pods.ByIndex(ControllerIndex.Name, rs.Metadata.Uid))];
        var plan = DeploymentPlanner.Plan(new DeploymentPlanInput { Deployment = deployment, ReplicaSets = owned, Pods = pods, Now = _time.GetUtcNow() });
        var current = deployment;

        if (plan.ReplicaSetToCreate is { } toCreate && !await CreateAsync(key, deployment, toCreate, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        foreach (var rs in plan.ReplicaSetsToUpdate)
        {
            await _client.UpdateAsync(rs, cancellationToken).ConfigureAwait(false);
            var to = rs.Spec.Replicas ?? 1;
            Log.Updated(_logger, key, rs.Metadata.Name, to);
            var from = owned.Find(o => o.Metadata.Name == rs.Metadata.Name)?.Spec?.Replicas ?? 1;
            if (from != to)
            {
                // Upstream scaleReplicaSet: an update that changes only annotations or minReadySeconds is no scaling event.
                var message = $"Scaled {(to > from ? "up" : "down")} replica set {rs.Metadata.Name} from {from} to {to}";
                await _events.RecordAsync(deployment, EventRecorder.Normal, ScalingReplicaSetReason, message, Component, cancellationToken).ConfigureAwait(false);
            }
        }

        if (plan.RevisionToSet is { } revision)
        {
            var patch = JsonSerializer.Serialize(new { metadata = new { annotations = new Dictionary<string, string> { [WellKnown.RevisionAnnotation] = revision } } });
            current = await _client.PatchAsync<V1Deployment>(ns, name, V1Patch.PatchType.MergePatch, patch, cancellationToken).ConfigureAwait(false);
        }

        foreach (var rs in plan.ReplicaSetsToDelete)
        {
            try
            {
                await _client.DeleteAsync<V1ReplicaSet>(ns, rs.Metadata.Name, null, cancellationToken).ConfigureAwait(false);
                Log.Deleted(_logger, key, rs.Metadata.Name);
            }
            catch (ApiException e) when (e.IsNotFound)
            {
                // gone already
            }
        }

        if (plan.StatusChanged)
        {
            var updated = ObjectCopy.Clone(current);
            updated.Status = plan.Status;
            current = await _client.UpdateStatusAsync(updated, cancellationToken).ConfigureAwait(false);
        }

        // Upstream requeues to notice progressDeadlineSeconds passing without progress.
        if (current.Spec.ProgressDeadlineSeconds is { } deadline and > 0 and < int.MaxValue
            && current.Spec.Paused != true
            && !DeploymentPlanner.IsComplete(current, plan.Status))
        {
            _queue.AddAfter(key, TimeSpan.FromSeconds(deadline + 1));
        }
    }

    /// <summary>
    /// Creates the new ReplicaSet. AlreadyExists means either the cache is behind (the ReplicaSet is ours, with this
    /// template: its add event will sync again) or a hash collision, upstream's cue to bump status.collisionCount.
    /// </summary>
    private async Task<bool> CreateAsync(string key, V1Deployment deployment, V1ReplicaSet toCreate, CancellationToken cancellationToken)
    {
        try
        {
            var created = await _client.CreateAsync(toCreate, cancellationToken).ConfigureAwait(false);
            Log.Created(_logger, key, created.Metadata.Name);
            if (created.Spec?.Replicas is > 0 and var replicas)
            {
                // Upstream getNewReplicaSet's wording for a new ReplicaSet.
                var message = $"Scaled up replica set {created.Metadata.Name} from 0 to {replicas}";
                await _events.RecordAsync(deployment, EventRecorder.Normal, ScalingReplicaSetReason, message, Component, cancellationToken).ConfigureAwait(false);
            }

            return true;
        }
        catch (ApiException e) when (e.IsAlreadyExists)
        {
            var existing = await _client.GetAsync<V1ReplicaSet>(toCreate.Metadata.NamespaceProperty, toCreate.Metadata.Name, cancellationToken).ConfigureAwait(false);
            if (existing is null
                || (PodUtil.ControllerOf(existing.Metadata)?.Uid == deployment.Metadata.Uid
                    && PodTemplateHash.EqualIgnoreHash(existing.Spec?.Template, deployment.Spec.Template)))
            {
                _queue.AddAfter(key, TimeSpan.FromMilliseconds(100));
                return false;
            }

            var updated = ObjectCopy.Clone(deployment);
            updated.Status ??= new V1DeploymentStatus();
            updated.Status.CollisionCount = (updated.Status.CollisionCount ?? 0) + 1;
            await _client.UpdateStatusAsync(updated, cancellationToken).ConfigureAwait(false);
            return false;
        }
        catch (ApiException e)
        {
            var message = $"Failed to create new replica set \"{toCreate.Metadata.Name}\": {e.Message}";
            await _events.RecordAsync(deployment, EventRecorder.Warning, FailedReplicaSetCreateReason, message, Component, cancellationToken).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Upstream <c>getReplicaSetsForDeployment</c> / <c>ClaimReplicaSets</c>: owned ReplicaSets that still match stay,
    /// those that no longer match are released, matching orphans are adopted (after re-reading the Deployment, upstream
    /// <c>RecheckDeletionTimestamp</c>). Ownership is patched with a strategic merge of ownerReferences by uid.
    /// </summary>
    private async Task<List<V1ReplicaSet>> ClaimAsync(V1Deployment deployment, CancellationToken cancellationToken)
    {
        var ns = deployment.Metadata.NamespaceProperty;
        var uid = deployment.Metadata.Uid;
        var selector = Selector(deployment);
        var deleting = deployment.Metadata.DeletionTimestamp is not null;
        var owned = new List<V1ReplicaSet>();
        var adopt = new List<V1ReplicaSet>();
        foreach (var rs in _replicaSets.List(ns))
        {
            var matches = selector?.Matches(rs.Metadata.Labels) ?? false;
            if (PodUtil.ControllerOf(rs.Metadata) is { } owner)
            {
                if (owner.Uid != uid)
                {
                    continue;
                }

                if (matches || selector is null)
                {
                    owned.Add(rs);
                }
                else if (!deleting)
                {
                    await ReleaseAsync(rs, uid, cancellationToken).ConfigureAwait(false);
                }
            }
            else if (matches && !deleting && rs.Metadata.DeletionTimestamp is null)
            {
                adopt.Add(rs);
            }
        }

        if (adopt.Count == 0)
        {
            return owned;
        }

        var fresh = await _client.GetAsync<V1Deployment>(ns, deployment.Metadata.Name, cancellationToken).ConfigureAwait(false);
        if (fresh is null || fresh.Metadata.Uid != uid || fresh.Metadata.DeletionTimestamp is not null)
        {
            return owned;
        }

        var reference = ServiceUtil.ControllerRef(deployment.Metadata, "apps/v1", "Deployment");
        var patch = KubernetesJson.Serialize(new V1ReplicaSet { Metadata = new V1ObjectMeta { OwnerReferences = [reference] } });
        foreach (var rs in adopt)
        {
            try
            {
                owned.Add(await _client.PatchAsync<V1ReplicaSet>(ns, rs.Metadata.Name, V1Patch.PatchType.StrategicMergePatch, patch, cancellationToken).ConfigureAwait(false));
            }
            catch (ApiException e) when (e.IsNotFound)
            {
                // gone meanwhile
            }
        }

        return owned;
    }

    private async Task ReleaseAsync(V1ReplicaSet rs, string uid, CancellationToken cancellationToken)
    {
        var patch = JsonSerializer.Serialize(new
        {
            metadata = new { ownerReferences = new object[] { new Dictionary<string, string> { ["$patch"] = "delete", ["uid"] = uid } } },
        });
        try
        {
            await _client.PatchAsync<V1ReplicaSet>(rs.Metadata.NamespaceProperty, rs.Metadata.Name, V1Patch.PatchType.StrategicMergePatch, patch, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException e) when (e.IsNotFound)
        {
            // gone already
        }
    }
}

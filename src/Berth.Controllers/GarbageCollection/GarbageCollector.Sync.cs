using k8s;
using k8s.Models;

namespace Berth.Controllers.GarbageCollection;

public sealed partial class GarbageCollector
{
    /// <summary>What an ownerReference points at (classifyReferences in garbagecollector.go).</summary>
    private enum OwnerState
    {
        /// <summary>The owner exists (or is of a kind not watched here, so cannot be judged) and keeps the dependent.</summary>
        Solid,

        /// <summary>No object with that name and UID exists: confirmed with a live GET.</summary>
        Dangling,

        /// <summary>The owner is being deleted in the foreground: its dependents go first.</summary>
        WaitingForDependents,
    }

    /// <summary>Handles one UID; false when an owner still waits for blocking dependents.</summary>
    private async Task<bool> SyncAsync(string uid, CancellationToken cancellationToken)
    {
        var (kind, obj) = Find(uid);
        if (kind is null || obj is null)
        {
            // Gone: its dependents were queued when the delete was seen.
            return true;
        }

        var meta = obj.Metadata;
        if (meta.DeletionTimestamp is not null)
        {
            if (meta.Finalizers?.Contains(OrphanFinalizer) == true)
            {
                await OrphanDependentsAsync(kind, obj, cancellationToken).ConfigureAwait(false);
                return true;
            }

            return meta.Finalizers?.Contains(ForegroundFinalizer) != true
                || await DeleteDependentsAsync(kind, obj, cancellationToken).ConfigureAwait(false);
        }

        if (meta.OwnerReferences is { Count: > 0 })
        {
            await CheckOwnersAsync(kind, obj, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>
    /// attemptToDeleteItem: a dependent some owner still keeps loses only its references to vanished owners and to
    /// owners deleted in the foreground; one that no owner keeps is deleted — in the foreground when it blocks an owner
    /// that waits for it, else in the background.
    /// </summary>
    private async Task CheckOwnersAsync(KindCache kind, IKubernetesObject<V1ObjectMeta> obj, CancellationToken cancellationToken)
    {
        var meta = obj.Metadata;
        var gone = new HashSet<string>(StringComparer.Ordinal);
        var solid = 0;
        var blocking = false;
        foreach (var owner in meta.OwnerReferences)
        {
            switch (await OwnerStateAsync(owner, meta.NamespaceProperty, cancellationToken).ConfigureAwait(false))
            {
                case OwnerState.Solid:
                    solid++;
                    break;
                case OwnerState.WaitingForDependents:
                    blocking |= owner.BlockOwnerDeletion == true;
                    gone.Add(owner.Uid);
                    break;
                default:
                    gone.Add(owner.Uid);
                    break;
            }
        }

        if (gone.Count == 0)
        {
            return;
        }

        if (solid > 0)
        {
            await RemoveOwnersAsync(kind, obj, gone, cancellationToken).ConfigureAwait(false);
            return;
        }

        // Confirm against the API, not the cache: same object, and no owner added since.
        var current = await kind.GetAsync(meta.NamespaceProperty, meta.Name, cancellationToken).ConfigureAwait(false);
        if (current is null || current.Metadata.Uid != meta.Uid || current.Metadata.DeletionTimestamp is not null)
        {
            return;
        }

        if ((current.Metadata.OwnerReferences ?? []).Any(r => !gone.Contains(r.Uid)))
        {
            _queue.Add(meta.Uid);
            return;
        }

        var policy = blocking ? "Foreground" : "Background";
        Log.Deleting(_logger, kind.Kind, meta.NamespaceProperty, meta.Name, policy, blocking ? "its owner is deleted in the foreground" : "every owner is gone");
        await kind.DeleteAsync(meta.NamespaceProperty, meta.Name, meta.Uid, policy, cancellationToken).ConfigureAwait(false);
    }

    private async Task<OwnerState> OwnerStateAsync(V1OwnerReference owner, string? ns, CancellationToken cancellationToken)
    {
        var (_, found) = Find(owner.Uid);
        if (found is null)
        {
            var kind = KindOf(owner);
            if (kind is null)
            {
                return OwnerState.Solid;
            }

            // Missing from the caches: only a live read may call it gone (the cache can lag a create).
            found = await kind.GetAsync(ns, owner.Name, cancellationToken).ConfigureAwait(false);
            if (found is null || found.Metadata.Uid != owner.Uid)
            {
                return OwnerState.Dangling;
            }
        }

        return found.Metadata.DeletionTimestamp is not null && found.Metadata.Finalizers?.Contains(ForegroundFinalizer) == true
            ? OwnerState.WaitingForDependents
            : OwnerState.Solid;
    }

    /// <summary>
    /// processDeletingDependentsItem: every dependent is looked at (it is deleted, or loses the reference when another
    /// owner keeps it); the finalizer goes once no dependent with <c>blockOwnerDeletion</c> is left.
    /// </summary>
    private async Task<bool> DeleteDependentsAsync(KindCache kind, IKubernetesObject<V1ObjectMeta> owner, CancellationToken cancellationToken)
    {
        var uid = owner.Metadata.Uid;
        var blocking = 0;
        foreach (var (_, dependent) in DependentsOf(uid))
        {
            if (dependent.Metadata.OwnerReferences.Any(r => r.Uid == uid && r.BlockOwnerDeletion == true))
            {
                blocking++;
            }

            if (dependent.Metadata.DeletionTimestamp is null)
            {
                _queue.Add(dependent.Metadata.Uid);
            }
        }

        if (blocking > 0)
        {
            return false;
        }

        await RemoveFinalizerAsync(kind, owner, ForegroundFinalizer, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>orphanDependents: the reference to the owner is removed from every dependent, then the finalizer.</summary>
    private async Task OrphanDependentsAsync(KindCache kind, IKubernetesObject<V1ObjectMeta> owner, CancellationToken cancellationToken)
    {
        var uid = owner.Metadata.Uid;
        foreach (var (dependentKind, dependent) in DependentsOf(uid))
        {
            await RemoveOwnersAsync(dependentKind, dependent, new HashSet<string>(StringComparer.Ordinal) { uid }, cancellationToken).ConfigureAwait(false);
        }

        await RemoveFinalizerAsync(kind, owner, OrphanFinalizer, cancellationToken).ConfigureAwait(false);
    }

    private async Task RemoveOwnersAsync(KindCache kind, IKubernetesObject<V1ObjectMeta> obj, IReadOnlySet<string> ownerUids, CancellationToken cancellationToken)
    {
        var meta = obj.Metadata;
        var current = await kind.GetAsync(meta.NamespaceProperty, meta.Name, cancellationToken).ConfigureAwait(false);
        if (current is null || current.Metadata.Uid != meta.Uid)
        {
            return;
        }

        var refs = current.Metadata.OwnerReferences ?? [];
        var kept = refs.Where(r => !ownerUids.Contains(r.Uid)).ToList();
        if (kept.Count == refs.Count)
        {
            return;
        }

        current.Metadata.OwnerReferences = kept.Count == 0 ? null : kept;
        await kind.UpdateAsync(current, cancellationToken).ConfigureAwait(false);
        Log.RemovedOwners(_logger, string.Join(",", ownerUids), kind.Kind, meta.NamespaceProperty, meta.Name);
    }

    private async Task RemoveFinalizerAsync(KindCache kind, IKubernetesObject<V1ObjectMeta> obj, string finalizer, CancellationToken cancellationToken)
    {
        var meta = obj.Metadata;
        var current = await kind.GetAsync(meta.NamespaceProperty, meta.Name, cancellationToken).ConfigureAwait(false);
        if (current is null || current.Metadata.Uid != meta.Uid || current.Metadata.Finalizers?.Contains(finalizer) != true)
        {
            return;
        }

        var rest = current.Metadata.Finalizers.Where(f => f != finalizer).ToList();
        current.Metadata.Finalizers = rest.Count == 0 ? null : rest;
        await kind.UpdateAsync(current, cancellationToken).ConfigureAwait(false);
        Log.RemovedFinalizer(_logger, finalizer, kind.Kind, meta.NamespaceProperty, meta.Name);
    }

    private (KindCache? Kind, IKubernetesObject<V1ObjectMeta>? Object) Find(string uid)
    {
        foreach (var kind in _kinds)
        {
            if (kind.ByUid(uid) is { } obj)
            {
                return (kind, obj);
            }
        }

        return (null, null);
    }

    private IEnumerable<(KindCache Kind, IKubernetesObject<V1ObjectMeta> Object)> DependentsOf(string ownerUid) =>
        _kinds.SelectMany(k => k.DependentsOf(ownerUid).Select(d => (k, d)));

    private KindCache? KindOf(V1OwnerReference owner)
    {
        var group = KindCache.GroupOf(owner.ApiVersion);
        return _kinds.FirstOrDefault(k => k.Kind == owner.Kind && k.Group == group);
    }
}

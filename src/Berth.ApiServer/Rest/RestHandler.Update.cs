using System.Text.Json.Nodes;
using Berth.ApiServer.Admission;
using Berth.ApiServer.Allocation;
using Berth.ApiServer.Http;
using Berth.Core.Errors;
using Berth.Core.Patching;
using Berth.Storage;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Http;

namespace Berth.ApiServer.Rest;

internal sealed partial class RestHandler
{
    private const int UpdateAttempts = 16;

    private async Task ReplaceAsync(HttpContext context, RequestInfo request, bool statusOnly, CancellationToken ct)
    {
        var resource = request.Resource;
        var dryRun = IsDryRun(context);
        var body = await ReadBodyAsync(context, request, ct).ConfigureAwait(false);
        var first = DecodeBody(context, resource, body, resource.ModelType);
        if (!string.IsNullOrEmpty(first.Metadata.Name) && first.Metadata.Name != request.Name)
        {
            throw StatusErrors.BadRequest($"the name of the object ({first.Metadata.Name}) does not match the name on the URL ({request.Name})");
        }

        var existing = await _objects.GetAsync(resource, request.Namespace, request.Name!, ct).ConfigureAwait(false);
        if (existing is null)
        {
            if (!resource.Strategy.AllowCreateOnUpdate || statusOnly)
            {
                throw StatusErrors.NotFound(resource.Group, resource.Plural, request.Name!);
            }

            first.Metadata.ResourceVersion = null;
            first.Metadata.Name = request.Name;
            var created = await CreateObjectAsync(request, first, dryRun, ct).ConfigureAwait(false);
            await Responses.WriteBytesAsync(context, 201, created.Json, ct).ConfigureAwait(false);
            return;
        }

        if (string.IsNullOrEmpty(first.Metadata.ResourceVersion) && !resource.Strategy.AllowUnconditionalUpdate)
        {
            throw StatusErrors.Invalid(resource.Group, resource.Kind, request.Name!, [FieldError.InvalidRendered(Core.Errors.FieldPath.Root("metadata").Child("resourceVersion"), "0x0", "must be specified for an update")]);
        }

        var updated = await GuaranteedUpdateAsync(request, statusOnly ? UpdateKind.Status : UpdateKind.Main, dryRun, _ => DecodeBody(context, resource, body, resource.ModelType), ct).ConfigureAwait(false);
        await Responses.WriteBytesAsync(context, 200, updated.Json, ct).ConfigureAwait(false);
    }

    private async Task PatchAsync(HttpContext context, RequestInfo request, bool statusOnly, CancellationToken ct)
    {
        var resource = request.Resource;
        var dryRun = IsDryRun(context);
        var patchType = MediaTypes.Essence(context.Request.ContentType);
        if (patchType is not (MediaTypes.JsonPatch or MediaTypes.MergePatch or MediaTypes.StrategicMergePatch or MediaTypes.ApplyPatch))
        {
            throw StatusErrors.UnsupportedMediaType($"the body of the request was in an unknown format - accepted media types include: {MediaTypes.JsonPatch}, {MediaTypes.MergePatch}, {MediaTypes.ApplyPatch}, {MediaTypes.StrategicMergePatch}");
        }

        var patch = await ReadBodyAsync(context, request, ct).ConfigureAwait(false);
        if (patchType == MediaTypes.ApplyPatch)
        {
            if (string.IsNullOrEmpty(context.Request.Query.Get("fieldManager")))
            {
                throw StatusErrors.BadRequest("PATCH, application/apply-patch+yaml requests require fieldManager to be specified");
            }

            var existing = await _objects.GetAsync(resource, request.Namespace, request.Name!, ct).ConfigureAwait(false);
            if (existing is null && !statusOnly)
            {
                // Server-side apply creates what does not exist yet.
                var obj = DecodeBody(context, resource, patch, resource.ModelType);
                obj.Metadata.Name ??= request.Name;
                var created = await CreateObjectAsync(request, obj, dryRun, ct).ConfigureAwait(false);
                await Responses.WriteBytesAsync(context, 201, created.Json, ct).ConfigureAwait(false);
                return;
            }
        }

        var updated = await GuaranteedUpdateAsync(
            request,
            statusOnly ? UpdateKind.Status : UpdateKind.Main,
            dryRun,
            existing =>
            {
                var current = JsonNode.Parse(existing.Json)!;
                JsonNode? patched;
                try
                {
                    patched = patchType switch
                    {
                        MediaTypes.JsonPatch => JsonPatch.Apply(current, patch),
                        MediaTypes.MergePatch => MergePatch.Apply(current, patch),
                        MediaTypes.ApplyPatch => ApplyPatch.Apply(current, patch.AsObject(), resource.ModelType),
                        _ => StrategicMergePatch.Apply(current, patch, resource.ModelType),
                    };
                }
                catch (PatchException e)
                {
                    throw e.ToStatusException();
                }

                if (patched is not JsonObject)
                {
                    throw StatusErrors.BadRequest("the patch did not produce an object");
                }

                // The resourceVersion the object had is no precondition; one the patch set is.
                if (patched["metadata"]?["resourceVersion"]?.GetValue<string>() == existing.ResourceVersion)
                {
                    patched["metadata"]!.AsObject().Remove("resourceVersion");
                }

                return DecodeBody(context, resource, patched, resource.ModelType);
            },
            ct).ConfigureAwait(false);
        await Responses.WriteBytesAsync(context, 200, updated.Json, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads the object, computes its new state with <paramref name="apply"/> and writes it with compare-and-swap,
    /// retrying on a conflicting write unless the new state names a resourceVersion (a client precondition).
    /// </summary>
    private async Task<StoredObject> GuaranteedUpdateAsync(
        RequestInfo request,
        UpdateKind kind,
        bool dryRun,
        Func<StoredObject, IKubernetesObject<V1ObjectMeta>> apply,
        CancellationToken ct)
    {
        var resource = request.Resource;
        for (var attempt = 0; ; attempt++)
        {
            var existing = await GetExistingAsync(request, ct).ConfigureAwait(false);
            var updated = apply(existing);
            var precondition = updated.Metadata.ResourceVersion;
            if (!string.IsNullOrEmpty(precondition) && precondition != existing.ResourceVersion)
            {
                throw StatusErrors.Conflict(resource.Group, resource.Plural, request.Name!, StatusErrors.ModifiedDetail);
            }

            var result = await CommitUpdateAsync(request, existing, updated, kind, dryRun, ct).ConfigureAwait(false);
            if (result is not null)
            {
                return result;
            }

            if (!string.IsNullOrEmpty(precondition) || attempt >= UpdateAttempts)
            {
                throw StatusErrors.Conflict(resource.Group, resource.Plural, request.Name!, StatusErrors.ModifiedDetail);
            }
        }
    }

    /// <summary>
    /// Runs the kind's update strategy on <paramref name="updated"/> against <paramref name="existing"/> and writes it.
    /// Null when another write came first (compare-and-swap failed). An unchanged object is not written again.
    /// </summary>
    private async Task<StoredObject?> CommitUpdateAsync(
        RequestInfo request,
        StoredObject existing,
        IKubernetesObject<V1ObjectMeta> updated,
        UpdateKind kind,
        bool dryRun,
        CancellationToken ct)
    {
        var resource = request.Resource;
        var old = existing.Clone();
        var meta = updated.Metadata;
        if (!string.IsNullOrEmpty(meta.NamespaceProperty) && meta.NamespaceProperty != (request.Namespace ?? ""))
        {
            throw StatusErrors.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }

        // System-owned metadata always comes from the stored object.
        meta.Name = old.Metadata.Name;
        meta.NamespaceProperty = old.Metadata.NamespaceProperty;
        meta.Uid = old.Metadata.Uid;
        meta.CreationTimestamp = old.Metadata.CreationTimestamp;
        meta.DeletionTimestamp = old.Metadata.DeletionTimestamp;
        meta.DeletionGracePeriodSeconds = old.Metadata.DeletionGracePeriodSeconds;
        meta.Generation = old.Metadata.Generation;
        meta.ManagedFields = null;
        meta.ResourceVersion = null;

        if (kind != UpdateKind.System)
        {
            resource.Strategy.PrepareForUpdate(updated, old, kind == UpdateKind.Status);
        }

        resource.Strategy.Default(updated);
        var allocation = kind == UpdateKind.Main ? HookFor(resource)?.BeforeUpdate(updated, old, dryRun) ?? AllocationTransaction.None : AllocationTransaction.None;
        StoredObject? written;
        try
        {
            written = await ValidateAndWriteAsync(request, existing, updated, old, kind, dryRun, ct).ConfigureAwait(false);
        }
        catch
        {
            allocation.Rollback();
            throw;
        }

        if (written is null || ReferenceEquals(written, existing))
        {
            allocation.Rollback();
        }
        else
        {
            allocation.Commit();
        }

        return written;
    }

    private async Task<StoredObject?> ValidateAndWriteAsync(
        RequestInfo request,
        StoredObject existing,
        IKubernetesObject<V1ObjectMeta> updated,
        IKubernetesObject<V1ObjectMeta> old,
        UpdateKind kind,
        bool dryRun,
        CancellationToken ct)
    {
        var resource = request.Resource;
        var meta = updated.Metadata;
        var errors = kind == UpdateKind.System ? [] : resource.Strategy.ValidateUpdate(updated, old);
        if (errors.Count > 0)
        {
            throw StatusErrors.Invalid(resource.Group, resource.Kind, request.Name!, errors);
        }

        await AdmitAsync(request, AdmissionOperation.Update, request.Name!, updated, old, ct).ConfigureAwait(false);

        if (kind == UpdateKind.Main && SpecChanged(updated, old))
        {
            meta.Generation = (old.Metadata.Generation ?? 0) + 1;
        }

        var bytes = ObjectStore.Encode(resource, updated);
        if (bytes.AsSpan().SequenceEqual(existing.Kv.Value.Span))
        {
            return existing;
        }

        var key = existing.Kv.Key;
        // A namespace also waits for its spec.finalizers (ShouldDeleteNamespaceDuringUpdate), which only /finalize clears.
        var finalized = meta.DeletionTimestamp is not null && (meta.Finalizers is null || meta.Finalizers.Count == 0)
            && updated is not V1Namespace { Spec.Finalizers.Count: > 0 };
        if (dryRun)
        {
            updated.Metadata.ResourceVersion = existing.ResourceVersion;
            return new StoredObject(resource, existing.Kv with { Value = bytes, ModRevision = 0 }, updated);
        }

        if (finalized)
        {
            // The last finalizer is gone from an object being deleted: the deletion completes now.
            var deleted = await _objects.Store.DeleteAsync(key, existing.Revision, ct).ConfigureAwait(false);
            if (deleted.Outcome != StoreOutcome.Ok)
            {
                return null;
            }

            var gone = _objects.Decode(resource, deleted.Value! with { Value = bytes });
            AfterDelete(resource, gone);
            return gone;
        }

        var result = await _objects.Store.UpdateAsync(key, bytes, existing.Revision, ct).ConfigureAwait(false);
        return result.Outcome switch
        {
            StoreOutcome.Ok => _objects.Written(resource, result.Value!, updated),
            StoreOutcome.NotFound => throw StatusErrors.NotFound(resource.Group, resource.Plural, request.Name!),
            _ => null,
        };
    }

    /// <summary>Anything outside metadata and status changed: the generation moves on.</summary>
    private static bool SpecChanged(IKubernetesObject<V1ObjectMeta> updated, IKubernetesObject<V1ObjectMeta> old)
    {
        var a = JsonNode.Parse(KubernetesJson.Serialize(updated))!.AsObject();
        var b = JsonNode.Parse(KubernetesJson.Serialize(old))!.AsObject();
        foreach (var o in new[] { a, b })
        {
            o.Remove("metadata");
            o.Remove("status");
        }

        return !JsonNode.DeepEquals(a, b);
    }
}

using System.Text;
using System.Text.Json.Nodes;
using Berth.ApiServer.Admission;
using Berth.ApiServer.Http;
using Berth.Core.Errors;
using Berth.Core.Serialization;
using Berth.Storage;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Http;

namespace Berth.ApiServer.Rest;

internal sealed partial class RestHandler
{
    /// <summary>Kinds whose DELETE answers with the deleted object rather than a Status (as in Kubernetes).</summary>
    private static readonly HashSet<string> _returnDeletedObject = ["services", "pods", "namespaces"];

    private async Task DeleteAsync(HttpContext context, RequestInfo request, CancellationToken ct)
    {
        var options = await ReadDeleteOptionsAsync(context, request, ct).ConfigureAwait(false);
        var (obj, gone) = await DeleteObjectAsync(request, request.Name!, options, ct).ConfigureAwait(false);
        if (!gone || _returnDeletedObject.Contains(request.Resource.Plural))
        {
            await Responses.WriteBytesAsync(context, 200, obj.Json, ct).ConfigureAwait(false);
            return;
        }

        var resource = request.Resource;
        await Responses.WriteObjectAsync(context, 200, StatusErrors.Success(resource.Group, resource.Plural, request.Name!, obj.Object.Metadata.Uid), ct).ConfigureAwait(false);
    }

    private async Task DeleteCollectionAsync(HttpContext context, RequestInfo request, CancellationToken ct)
    {
        var listOptions = ListOptions.From(context.Request.Query, request.Resource);
        var options = await ReadDeleteOptionsAsync(context, request, ct).ConfigureAwait(false);
        options.Preconditions = null;
        var (items, _, _) = await ReadMatchingAsync(request, listOptions, 0, null, ct).ConfigureAwait(false);
        var deleted = new List<StoredObject>();
        foreach (var item in items)
        {
            var one = request with { Namespace = item.Object.Metadata.NamespaceProperty, Name = item.Object.Metadata.Name };
            try
            {
                var (obj, _) = await DeleteObjectAsync(one, one.Name!, options, ct).ConfigureAwait(false);
                deleted.Add(obj);
            }
            catch (StatusException e) when (e.Code == 404)
            {
                // Deleted by someone else meanwhile.
            }
        }

        var list = new JsonObject
        {
            ["kind"] = request.Resource.ListKind,
            ["apiVersion"] = request.Resource.ApiVersion,
            ["metadata"] = new JsonObject { ["resourceVersion"] = Rv(_objects.Store.CurrentRevision) },
            ["items"] = new JsonArray(deleted.Select(d => JsonNode.Parse(d.Json)).ToArray()),
        };
        await Responses.WriteJsonAsync(context, 200, list, ct).ConfigureAwait(false);
    }

    private async Task<V1DeleteOptions> ReadDeleteOptionsAsync(HttpContext context, RequestInfo request, CancellationToken ct)
    {
        V1DeleteOptions options = new();
        using var buffer = await ReadLimitedAsync(context.Request, _options.DecodeLimits.MaxBytes, ct).ConfigureAwait(false);
        var body = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
        if (!body.Trim(" \t\r\n"u8).IsEmpty)
        {
            try
            {
                options = JsonBody.Parse(body, _options.DecodeLimits) is { } node
                    ? KubernetesJson.Deserialize<V1DeleteOptions>(node) ?? new V1DeleteOptions()
                    : new V1DeleteOptions();
            }
            catch (System.Text.Json.JsonException e)
            {
                throw StatusErrors.BadRequest("DeleteOptions cannot be decoded: " + e.Message);
            }
        }

        var query = context.Request.Query;
        options.GracePeriodSeconds ??= query.GetLong("gracePeriodSeconds");
        options.PropagationPolicy ??= query.Get("propagationPolicy");
        if (query.GetBool("orphanDependents"))
        {
            options.PropagationPolicy ??= "Orphan";
        }

        if (IsDryRun(context))
        {
            options.DryRun = ["All"];
        }

        if (options.PropagationPolicy is not (null or "Orphan" or "Background" or "Foreground"))
        {
            throw StatusErrors.Invalid("meta.k8s.io", "DeleteOptions", request.Name ?? "", [FieldError.NotSupported(Core.Errors.FieldPath.Root("propagationPolicy"), options.PropagationPolicy, ["Foreground", "Background", "Orphan", "nil"])]);
        }

        if (options.GracePeriodSeconds < 0)
        {
            options.GracePeriodSeconds = 1;
        }

        return options;
    }

    /// <summary>
    /// Deletes one object the way the Kubernetes registry does: preconditions, then either an immediate delete or,
    /// when the object has finalizers (including the propagation policy's) or is a running pod with a grace period,
    /// marking it with <c>deletionTimestamp</c>. Returns the object and whether it is gone from the store.
    /// </summary>
    private async Task<(StoredObject Object, bool Gone)> DeleteObjectAsync(RequestInfo request, string name, V1DeleteOptions options, CancellationToken ct)
    {
        var resource = request.Resource;
        var dryRun = options.DryRun?.Count > 0;
        for (var attempt = 0; ; attempt++)
        {
            var existing = await GetExistingAsync(request, ct).ConfigureAwait(false);
            var meta = existing.Object.Metadata;
            CheckPreconditions(request, options.Preconditions, meta);
            await AdmitAsync(request, AdmissionOperation.Delete, name, null, existing.Object, ct).ConfigureAwait(false);

            var obj = existing.Clone();
            var finalizers = new List<string>(obj.Metadata.Finalizers ?? []);
            switch (options.PropagationPolicy)
            {
                case "Orphan" when !finalizers.Contains("orphan"):
                    finalizers.Add("orphan");
                    break;
                case "Foreground" when !finalizers.Contains("foregroundDeletion"):
                    finalizers.Add("foregroundDeletion");
                    break;
                default:
                    break;
            }

            var grace = GracePeriod(resource.Plural, obj, options.GracePeriodSeconds);
            var now = _time.GetUtcNow();
            bool changed;
            if (resource.Plural == "namespaces" && !await NamespaceRemovableAsync((V1Namespace)obj, finalizers, ct).ConfigureAwait(false))
            {
                // The namespace controller empties a terminating namespace, then removes it.
                changed = obj.Metadata.DeletionTimestamp is null;
                obj.Metadata.DeletionTimestamp ??= now.UtcDateTime;
                obj.Metadata.DeletionGracePeriodSeconds ??= 0;
                ((V1Namespace)obj).Status ??= new V1NamespaceStatus();
                ((V1Namespace)obj).Status.Phase = "Terminating";
            }
            else if (finalizers.Count == 0 && grace == 0)
            {
                if (dryRun)
                {
                    return (existing, true);
                }

                var deleted = await _objects.Store.DeleteAsync(existing.Kv.Key, existing.Revision, ct).ConfigureAwait(false);
                if (deleted.Outcome == StoreOutcome.Ok)
                {
                    var gone = _objects.Decode(resource, deleted.Value!);
                    AfterDelete(resource, gone);
                    return (gone, true);
                }

                if (deleted.Outcome == StoreOutcome.NotFound)
                {
                    throw StatusErrors.NotFound(resource.Group, resource.Plural, name);
                }

                continue;
            }
            else
            {
                var deadline = now.UtcDateTime.AddSeconds(grace);
                changed = obj.Metadata.DeletionTimestamp is null
                    || obj.Metadata.DeletionGracePeriodSeconds > grace
                    || finalizers.Count != (obj.Metadata.Finalizers?.Count ?? 0);
                if (obj.Metadata.DeletionTimestamp is null || obj.Metadata.DeletionGracePeriodSeconds > grace)
                {
                    obj.Metadata.DeletionTimestamp = deadline;
                    obj.Metadata.DeletionGracePeriodSeconds = grace;
                }

                obj.Metadata.Finalizers = finalizers.Count == 0 ? null : finalizers;
            }

            if (!changed || dryRun)
            {
                return (existing, false);
            }

            var result = await _objects.Store.UpdateAsync(existing.Kv.Key, ObjectStore.Encode(resource, obj), existing.Revision, ct).ConfigureAwait(false);
            if (result.Outcome == StoreOutcome.Ok)
            {
                return (_objects.Decode(resource, result.Value!), false);
            }

            if (attempt >= UpdateAttempts)
            {
                throw StatusErrors.Conflict(resource.Group, resource.Plural, name, StatusErrors.ModifiedDetail);
            }
        }
    }

    private static void CheckPreconditions(RequestInfo request, V1Preconditions? preconditions, V1ObjectMeta meta)
    {
        var resource = request.Resource;
        if (preconditions?.Uid is { } uid && uid != meta.Uid)
        {
            throw StatusErrors.Conflict(resource.Group, resource.Plural, meta.Name, $"Precondition failed: UID in precondition: {uid}, UID in object meta: {meta.Uid}");
        }

        if (preconditions?.ResourceVersion is { } rv && rv != meta.ResourceVersion)
        {
            throw StatusErrors.Conflict(resource.Group, resource.Plural, meta.Name, $"Precondition failed: ResourceVersion in precondition: {rv}, ResourceVersion in object meta: {meta.ResourceVersion}");
        }
    }

    /// <summary>
    /// Pods bound to a node that are not finished get a grace period (the request's, else the pod's
    /// <c>terminationGracePeriodSeconds</c>) so the node agent can stop them; everything else is deleted at once.
    /// </summary>
    private static long GracePeriod(string plural, IKubernetesObject<V1ObjectMeta> obj, long? requested)
    {
        if (plural != "pods" || obj is not V1Pod pod)
        {
            return 0;
        }

        if (string.IsNullOrEmpty(pod.Spec?.NodeName) || pod.Status?.Phase is "Succeeded" or "Failed")
        {
            return 0;
        }

        return requested ?? pod.Spec.TerminationGracePeriodSeconds ?? 30;
    }
}

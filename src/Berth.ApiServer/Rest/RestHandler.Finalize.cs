using Berth.ApiServer.Http;
using Berth.Core.Errors;
using k8s.Models;
using Microsoft.AspNetCore.Http;

namespace Berth.ApiServer.Rest;

internal sealed partial class RestHandler
{
    /// <summary>
    /// <c>PUT namespaces/{name}/finalize</c>: replaces <c>spec.finalizers</c> and nothing else (FinalizeREST in
    /// pkg/registry/core/namespace/storage/storage.go). A terminating namespace left with neither spec nor metadata
    /// finalizers is removed by that write (<c>ShouldDeleteNamespaceDuringUpdate</c>).
    /// </summary>
    private async Task HandleFinalizeAsync(HttpContext context, RequestInfo request, string method, CancellationToken ct)
    {
        if (method != "PUT" || request.Resource.Plural != "namespaces")
        {
            throw MethodNotAllowed(method, request);
        }

        var resource = request.Resource;
        var dryRun = IsDryRun(context);
        var body = await ReadBodyAsync(context, request, ct).ConfigureAwait(false);
        var desired = (V1Namespace)DecodeBody(context, resource, body, resource.ModelType);
        if (!string.IsNullOrEmpty(desired.Metadata.Name) && desired.Metadata.Name != request.Name)
        {
            throw StatusErrors.BadRequest($"the name of the object ({desired.Metadata.Name}) does not match the name on the URL ({request.Name})");
        }

        var main = request with { Subresource = null };
        var updated = await GuaranteedUpdateAsync(main, UpdateKind.System, dryRun, existing =>
        {
            var ns = (V1Namespace)existing.Clone();
            ns.Spec ??= new V1NamespaceSpec();
            ns.Spec.Finalizers = desired.Spec?.Finalizers is { Count: > 0 } finalizers ? [.. finalizers] : null;
            var errors = resource.Strategy.ValidateUpdate(ns, existing.Object);
            if (errors.Count > 0)
            {
                throw StatusErrors.Invalid(resource.Group, resource.Kind, request.Name!, errors);
            }

            ns.Metadata.ResourceVersion = desired.Metadata.ResourceVersion;
            return ns;
        }, ct).ConfigureAwait(false);
        await Responses.WriteBytesAsync(context, 200, updated.Json, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Whether a DELETE removes the namespace now rather than marking it Terminating: it has no finalizers left
    /// (Kubernetes' NamespaceREST.Delete), or it is Terminating already, only the <c>kubernetes</c> finalizer remains
    /// and no namespaced object is left in it — what the namespace controller's finalize would do next. The second rule
    /// lets a controller that speaks only the generic verbs (IApiClient has no subresource call) remove a namespace it
    /// has emptied by deleting it again.
    /// </summary>
    private async Task<bool> NamespaceRemovableAsync(V1Namespace ns, IReadOnlyCollection<string> finalizers, CancellationToken ct)
    {
        if (finalizers.Count > 0)
        {
            return false;
        }

        var specFinalizers = ns.Spec?.Finalizers ?? [];
        if (specFinalizers.Count == 0)
        {
            return true;
        }

        if (ns.Metadata.DeletionTimestamp is null || specFinalizers.Any(f => f != Core.Strategies.NamespaceStrategy.KubernetesFinalizer))
        {
            return false;
        }

        foreach (var resource in _registry.All)
        {
            if (!resource.Namespaced || resource.StoredAs is not null)
            {
                continue;
            }

            var page = await _objects.Store.ListAsync(ObjectStore.Prefix(resource, ns.Metadata.Name), null, 1, ct).ConfigureAwait(false);
            if (page.Items.Count > 0)
            {
                return false;
            }
        }

        return true;
    }
}

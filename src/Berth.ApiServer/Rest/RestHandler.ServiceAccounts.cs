using Berth.Core.Errors;
using k8s.Models;

namespace Berth.ApiServer.Rest;

internal sealed partial class RestHandler
{
    /// <summary>
    /// Creates the <c>default</c> ServiceAccount of namespace <paramref name="ns"/> unless it exists. Called when a
    /// namespace is created, in the same request, so that a pod created right after its namespace finds its service
    /// account (ServiceAccount admission refuses a pod whose account is missing; in Kubernetes the serviceaccounts
    /// controller creates it a moment later and early pods are refused — docs/compatibility.md). The controller still
    /// recreates it when it is deleted.
    /// </summary>
    public async Task EnsureDefaultServiceAccountAsync(string ns, CancellationToken ct)
    {
        var resource = _registry.Find("", "serviceaccounts")!;
        if (await _objects.GetAsync(resource, ns, "default", ct).ConfigureAwait(false) is not null)
        {
            return;
        }

        try
        {
            await CreateInternalAsync(resource, ns, new V1ServiceAccount { ApiVersion = "v1", Kind = "ServiceAccount", Metadata = new V1ObjectMeta { Name = "default" } }, ct).ConfigureAwait(false);
        }
        catch (StatusException e) when (e.Status.Code == 409)
        {
            // Created meanwhile by the serviceaccounts controller.
        }
    }

    /// <summary>The <c>default</c> ServiceAccount of every namespace not being deleted (at start: system namespaces, data directories from before).</summary>
    public async Task EnsureDefaultServiceAccountsAsync(CancellationToken ct)
    {
        var namespaces = _registry.Find("", "namespaces")!;
        var list = await _objects.Store.ListAsync(ObjectStore.Prefix(namespaces, null), null, 0, ct).ConfigureAwait(false);
        foreach (var kv in list.Items)
        {
            var ns = _objects.Decode(namespaces, kv).Object;
            if (ns.Metadata.DeletionTimestamp is null)
            {
                await EnsureDefaultServiceAccountAsync(ns.Metadata.Name, ct).ConfigureAwait(false);
            }
        }
    }
}

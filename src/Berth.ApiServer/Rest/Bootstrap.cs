using Berth.Core.Resources;
using k8s.Models;

namespace Berth.ApiServer.Rest;

/// <summary>What every cluster has from its first start: the system namespaces.</summary>
internal static class Bootstrap
{
    private static readonly string[] _systemNamespaces = ["default", "kube-system", "kube-public", "kube-node-lease"];

    public static async Task EnsureNamespacesAsync(ObjectStore objects, ResourceRegistry registry, TimeProvider time, CancellationToken cancellationToken)
    {
        var namespaces = registry.Find("", "namespaces")!;
        foreach (var name in _systemNamespaces)
        {
            if (await objects.GetAsync(namespaces, null, name, cancellationToken).ConfigureAwait(false) is not null)
            {
                continue;
            }

            var ns = new V1Namespace
            {
                ApiVersion = "v1",
                Kind = "Namespace",
                Metadata = new V1ObjectMeta { Name = name, Uid = Guid.NewGuid().ToString(), CreationTimestamp = time.GetUtcNow().UtcDateTime, Generation = 1 },
            };
            namespaces.Strategy.PrepareForCreate(ns);
            namespaces.Strategy.Default(ns);
            await objects.Store.CreateAsync(ObjectStore.Key(namespaces, null, name), ObjectStore.Encode(namespaces, ns), cancellationToken).ConfigureAwait(false);
        }
    }
}

using Berth.Client;
using Berth.Core.Resources;
using k8s;
using k8s.Models;

namespace Berth.Controllers.Namespaces;

/// <summary>The <see cref="NamespacedResource"/> of model type <typeparamref name="T"/>.</summary>
internal sealed class NamespacedResource<T>(IApiClient client, ResourceInfo info) : NamespacedResource
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    public override ResourceInfo Info => info;

    public override async Task<IReadOnlyList<IKubernetesObject<V1ObjectMeta>>> ListAsync(string ns, CancellationToken cancellationToken)
    {
        var list = await client.ListAsync<T>(ns, null, cancellationToken).ConfigureAwait(false);
        return [.. list.Items];
    }

    public override async Task<bool> DeleteAsync(string ns, string name, V1DeleteOptions options, CancellationToken cancellationToken)
    {
        try
        {
            await client.DeleteAsync<T>(ns, name, options, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ApiException e) when (e.IsNotFound)
        {
            return false;
        }
    }
}

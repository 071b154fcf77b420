using Berth.Client;
using Berth.Client.Informers;
using Berth.Core.Resources;
using k8s;
using k8s.Models;

namespace Berth.Controllers.GarbageCollection;

/// <summary>The <see cref="KindCache"/> of model type <typeparamref name="T"/> over its shared informer.</summary>
internal sealed class KindCache<T> : KindCache
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly ResourceInfo _info;
    private readonly Informer<T> _informer;
    private readonly IApiClient _client;

    public KindCache(ResourceInfo info, Informer<T> informer, IApiClient client)
    {
        _info = info;
        _informer = informer;
        _client = client;
        informer.AddIndexer(UidIndex, static o => o.Metadata?.Uid is { } uid ? [uid] : []);
        informer.AddIndexer(OwnerIndex, static o => o.Metadata?.OwnerReferences?.Select(r => r.Uid).Where(u => !string.IsNullOrEmpty(u)).Distinct() ?? []);
    }

    public override string Group => _info.Group;

    public override string Kind => _info.Kind;

    public override IKubernetesObject<V1ObjectMeta>? ByUid(string uid) => _informer.Lister.ByIndex(UidIndex, uid).FirstOrDefault();

    public override IReadOnlyList<IKubernetesObject<V1ObjectMeta>> DependentsOf(string ownerUid) => _informer.Lister.ByIndex(OwnerIndex, ownerUid);

    public override async Task<IKubernetesObject<V1ObjectMeta>?> GetAsync(string? ns, string name, CancellationToken cancellationToken) =>
        await _client.GetAsync<T>(ns, name, cancellationToken).ConfigureAwait(false);

    public override Task UpdateAsync(IKubernetesObject<V1ObjectMeta> obj, CancellationToken cancellationToken) =>
        _client.UpdateAsync((T)obj, cancellationToken);

    public override async Task<bool> DeleteAsync(string? ns, string name, string uid, string propagationPolicy, CancellationToken cancellationToken)
    {
        var options = new V1DeleteOptions { PropagationPolicy = propagationPolicy, Preconditions = new V1Preconditions { Uid = uid } };
        try
        {
            await _client.DeleteAsync<T>(ns, name, options, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ApiException e) when (e.IsNotFound)
        {
            return false;
        }
    }
}

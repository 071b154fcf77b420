using k8s;
using k8s.Models;

namespace Berth.Client.Informers;

/// <summary>An <see cref="IInformerHandler{T}"/> made of delegates; the ones left <c>null</c> are ignored.</summary>
public sealed class InformerHandler<T> : IInformerHandler<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    public Action<T, bool>? Added { get; init; }

    public Action<T, T>? Updated { get; init; }

    public Action<T>? Deleted { get; init; }

    public void OnAdd(T obj, bool isInInitialList) => Added?.Invoke(obj, isInInitialList);

    public void OnUpdate(T oldObj, T newObj) => Updated?.Invoke(oldObj, newObj);

    public void OnDelete(T obj) => Deleted?.Invoke(obj);
}

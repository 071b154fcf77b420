using k8s;
using k8s.Models;

namespace Berth.Client.Informers;

/// <summary>
/// Receives an informer's notifications, one at a time and in resourceVersion order. Called on the informer's own
/// loop: keep it quick (record the change or enqueue a key) and never mutate the objects — they are the cache's.
/// </summary>
public interface IInformerHandler<in T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    /// <summary>A new object; <paramref name="isInInitialList"/> is true for the objects of the first list.</summary>
    void OnAdd(T obj, bool isInInitialList);

    /// <summary>A changed object, or the same object twice on a periodic resync.</summary>
    void OnUpdate(T oldObj, T newObj);

    /// <summary>
    /// A deleted object: the final state from the DELETED event, or, for a delete found by a re-list after a gap,
    /// the last state the cache knew (its resourceVersion is then older than the delete).
    /// </summary>
    void OnDelete(T obj);
}

using System.Runtime.CompilerServices;
using Berth.Client.Informers;
using Berth.Controllers.Common;
using k8s;
using k8s.Models;

namespace Berth.Controllers.ReplicaSets;

/// <summary>
/// An informer index of objects by the UID of their controller owner reference (<c>metav1.GetControllerOf</c>), shared
/// by the workload controllers: the ReplicaSet controller finds its pods, the Deployment controller its ReplicaSets.
/// </summary>
internal static class ControllerIndex
{
    public const string Name = "berth.workloads/controller-uid";

    // Controllers sharing one informer each ask for the index; it is added once per informer.
    private static readonly ConditionalWeakTable<object, object> _indexed = [];

    public static void AddTo<T>(Informer<T> informer)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(informer);
        lock (_indexed)
        {
            if (_indexed.TryGetValue(informer, out _))
            {
                return;
            }

            informer.AddIndexer(Name, obj => PodUtil.ControllerOf(obj.Metadata)?.Uid is { Length: > 0 } uid ? [uid] : []);
            _indexed.Add(informer, informer);
        }
    }
}

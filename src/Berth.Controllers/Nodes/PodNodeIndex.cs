using System.Runtime.CompilerServices;
using Berth.Client.Informers;
using k8s.Models;

namespace Berth.Controllers.Nodes;

/// <summary>An informer index of pods by <c>spec.nodeName</c> (upstream's <c>nodeNameKeyIndex</c>); added once per informer.</summary>
internal static class PodNodeIndex
{
    public const string Name = "berth.nodes/spec.nodeName";

    private static readonly ConditionalWeakTable<object, object> _indexed = [];

    public static void AddTo(Informer<V1Pod> informer)
    {
        ArgumentNullException.ThrowIfNull(informer);
        lock (_indexed)
        {
            if (_indexed.TryGetValue(informer, out _))
            {
                return;
            }

            informer.AddIndexer(Name, static p => p.Spec?.NodeName is { Length: > 0 } node ? [node] : []);
            _indexed.Add(informer, informer);
        }
    }
}

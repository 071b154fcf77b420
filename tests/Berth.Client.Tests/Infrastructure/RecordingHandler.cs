using Berth.Client.Informers;
using k8s;
using k8s.Models;

namespace Berth.Client.Tests.Infrastructure;

/// <summary>Records every notification as text: <c>add ns/name rv</c>, <c>update ns/name oldRv-&gt;newRv</c>, <c>delete ns/name</c>.</summary>
internal sealed class RecordingHandler<T> : IInformerHandler<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly Lock _gate = new();
    private readonly List<string> _events = [];

    public IReadOnlyList<string> Events
    {
        get
        {
            lock (_gate)
            {
                return _events.ToList();
            }
        }
    }

    public void OnAdd(T obj, bool isInInitialList) => Record("add " + ObjectKeys.Of(obj) + (isInInitialList ? " initial" : string.Empty));

    public void OnUpdate(T oldObj, T newObj) =>
        Record("update " + ObjectKeys.Of(newObj) + (ReferenceEquals(oldObj, newObj) ? " resync" : string.Empty));

    public void OnDelete(T obj) => Record("delete " + ObjectKeys.Of(obj));

    private void Record(string line)
    {
        lock (_gate)
        {
            _events.Add(line);
        }
    }
}

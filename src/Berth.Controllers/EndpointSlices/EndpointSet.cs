using k8s.Models;

namespace Berth.Controllers.EndpointSlices;

/// <summary>
/// Desired endpoints keyed by identity (<see cref="EndpointComparison.Key"/>), as upstream's <c>EndpointSet</c>.
/// Upstream pops in map order; this pops in key order so plans are deterministic.
/// </summary>
internal sealed class EndpointSet
{
    private readonly SortedDictionary<string, V1Endpoint> _items = new(StringComparer.Ordinal);

    public int Count => _items.Count;

    public void Add(V1Endpoint endpoint) => _items[EndpointComparison.Key(endpoint)] = endpoint;

    public V1Endpoint? Get(V1Endpoint endpoint) =>
        _items.TryGetValue(EndpointComparison.Key(endpoint), out var found) ? found : null;

    public void Remove(V1Endpoint endpoint) => _items.Remove(EndpointComparison.Key(endpoint));

    public V1Endpoint Pop()
    {
        var first = _items.First();
        _items.Remove(first.Key);
        return first.Value;
    }
}

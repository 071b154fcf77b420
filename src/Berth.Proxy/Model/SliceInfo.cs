namespace Berth.Proxy.Model;

/// <summary>The parts of one EndpointSlice a proxy uses (kube-proxy's <c>endpointSliceInfo</c>); compared by value.</summary>
internal sealed record SliceInfo(string Name, EquatableArray<SlicePort> Ports, EquatableArray<SliceEndpoint> Endpoints);

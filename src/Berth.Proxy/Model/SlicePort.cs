namespace Berth.Proxy.Model;

/// <summary>One port of an EndpointSlice (a nil name is read as "", as the API server defaults it).</summary>
internal readonly record struct SlicePort(string Name, TransportProtocol Protocol, int Port);

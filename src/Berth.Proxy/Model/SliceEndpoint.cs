using System.Net;

namespace Berth.Proxy.Model;

/// <summary>
/// One endpoint of an EndpointSlice with its conditions read as kube-proxy reads them (pkg/proxy/endpointslicecache.go):
/// <c>ready</c> nil ⇒ true, <c>serving</c> nil ⇒ true, <c>terminating</c> nil ⇒ false.
/// </summary>
internal sealed record SliceEndpoint(
    IPAddress Address,
    bool Ready,
    bool Serving,
    bool Terminating,
    string? NodeName,
    string? Zone,
    EquatableArray<string> ZoneHints,
    EquatableArray<string> NodeHints);

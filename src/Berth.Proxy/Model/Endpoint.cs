using System.Net;

namespace Berth.Proxy.Model;

/// <summary>
/// One endpoint of one Service port after the slices are merged (kube-proxy's <c>BaseEndpointInfo</c>): the address,
/// the target port resolved for this port name on this endpoint, its conditions and whether it runs on this node.
/// </summary>
internal sealed record Endpoint(
    IPAddress Address,
    int Port,
    bool Ready,
    bool Serving,
    bool Terminating,
    bool IsLocal,
    EquatableArray<string> ZoneHints,
    EquatableArray<string> NodeHints)
{
    /// <summary><c>ip:port</c> (IPv6 in brackets), upstream's endpoint string and the deduplication key.</summary>
    public override string ToString() => new IPEndPoint(Address, Port).ToString();
}

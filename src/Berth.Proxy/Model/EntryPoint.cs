using System.Net;

namespace Berth.Proxy.Model;

/// <summary>One address, port and protocol where a Service port takes traffic, and of which kind it is.</summary>
internal readonly record struct EntryPoint(IPAddress Address, int Port, TransportProtocol Protocol, EntryKind Kind)
{
    /// <summary>Internal traffic (a cluster IP) follows <c>internalTrafficPolicy</c>; the rest <c>externalTrafficPolicy</c>.</summary>
    public bool IsExternal => Kind != EntryKind.ClusterIP;

    /// <summary><c>ip:port/PROTOCOL</c>.</summary>
    public override string ToString() => new IPEndPoint(Address, Port) + "/" + Protocol;
}

using System.Net;
using Berth.Proxy.Model;

namespace Berth.Proxy.Userspace;

/// <summary>What a socket binds: one address, port and protocol (whatever kind of entry point uses it).</summary>
internal readonly record struct ListenerKey(IPAddress Address, int Port, TransportProtocol Protocol)
{
    public static ListenerKey Of(EntryPoint entry) => new(entry.Address, entry.Port, entry.Protocol);

    public override string ToString() => new IPEndPoint(Address, Port) + "/" + Protocol;
}

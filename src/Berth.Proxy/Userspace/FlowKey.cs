using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Berth.Proxy.Balancing;

namespace Berth.Proxy.Userspace;

/// <summary>A UDP flow's client: address and port, read from a received <see cref="SocketAddress"/> without allocating.</summary>
internal readonly record struct FlowKey(UInt128 Address, int Port)
{
    /// <summary>The key of a native <c>sockaddr_in</c> / <c>sockaddr_in6</c> (port at 2, address at 4 / 8).</summary>
    public static FlowKey Of(SocketAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var bytes = address.Buffer.Span;
        var port = BinaryPrimitives.ReadUInt16BigEndian(bytes[2..]);
        return address.Family == AddressFamily.InterNetwork
            ? new FlowKey(ClientKey.OfIPv4(bytes[4..]), port)
            : new FlowKey(ClientKey.OfIPv6(bytes[8..]), port);
    }
}

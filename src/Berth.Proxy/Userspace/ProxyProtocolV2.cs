using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Berth.Proxy.Userspace;

/// <summary>
/// The PROXY protocol v2 header (haproxy.org/download/2.9/doc/proxy-protocol.txt §2.2): written to the endpoint before
/// any byte of the client, so the backend learns the client's address and the Service address it used.
/// </summary>
internal static class ProxyProtocolV2
{
    /// <summary>The longest header written here (IPv6).</summary>
    public const int MaxLength = 16 + 36;

    private static ReadOnlySpan<byte> Signature => [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];

    /// <summary>Writes the header for a TCP connection from <paramref name="source"/> to <paramref name="destination"/>; returns its length.</summary>
    public static int Write(Span<byte> header, IPEndPoint source, IPEndPoint destination)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        var ipv4 = source.AddressFamily == AddressFamily.InterNetwork && destination.AddressFamily == AddressFamily.InterNetwork;
        var src = ipv4 ? source.Address : source.Address.MapToIPv6();
        var dst = ipv4 ? destination.Address : destination.Address.MapToIPv6();
        var addressLength = ipv4 ? 4 : 16;
        var length = (2 * addressLength) + 4;
        Signature.CopyTo(header);
        header[12] = 0x21; // version 2, command PROXY
        header[13] = ipv4 ? (byte)0x11 : (byte)0x21; // TCP over IPv4 / IPv6
        BinaryPrimitives.WriteUInt16BigEndian(header[14..], (ushort)length);
        src.TryWriteBytes(header[16..], out _);
        dst.TryWriteBytes(header[(16 + addressLength)..], out _);
        BinaryPrimitives.WriteUInt16BigEndian(header[(16 + (2 * addressLength))..], (ushort)source.Port);
        BinaryPrimitives.WriteUInt16BigEndian(header[(18 + (2 * addressLength))..], (ushort)destination.Port);
        return 16 + length;
    }
}

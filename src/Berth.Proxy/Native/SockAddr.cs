using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Berth.Proxy.Native;

/// <summary>Native <c>sockaddr_in</c> / <c>sockaddr_in6</c> bytes (Linux layout: family in host order, port and address in network order).</summary>
internal static class SockAddr
{
    /// <summary>Big enough for either family.</summary>
    public const int MaxLength = 28;

    /// <summary>Writes <paramref name="address"/>:<paramref name="port"/> into <paramref name="sockaddr"/> (zeroed first); returns its length.</summary>
    public static int Write(Span<byte> sockaddr, IPAddress address, int port)
    {
        ArgumentNullException.ThrowIfNull(address);
        var ipv4 = address.AddressFamily == AddressFamily.InterNetwork;
        var length = ipv4 ? 16 : 28;
        sockaddr[..length].Clear();
        BinaryPrimitives.WriteUInt16LittleEndian(sockaddr, (ushort)(ipv4 ? Sys.AF_INET : Sys.AF_INET6));
        BinaryPrimitives.WriteUInt16BigEndian(sockaddr[2..], (ushort)port);
        address.TryWriteBytes(sockaddr[(ipv4 ? 4 : 8)..], out _);
        return length;
    }

    public static bool IsIPv4(ReadOnlySpan<byte> address) => BinaryPrimitives.ReadUInt16LittleEndian(address) == Sys.AF_INET;

    public static int Port(ReadOnlySpan<byte> address) => BinaryPrimitives.ReadUInt16BigEndian(address[2..]);

    /// <summary>The address bytes: 4 at offset 4 (IPv4) or 16 at offset 8 (IPv6).</summary>
    public static ReadOnlySpan<byte> Address(ReadOnlySpan<byte> address) => IsIPv4(address) ? address.Slice(4, 4) : address.Slice(8, 16);

    public static IPEndPoint ToEndPoint(ReadOnlySpan<byte> address) => new(new IPAddress(Address(address)), Port(address));
}

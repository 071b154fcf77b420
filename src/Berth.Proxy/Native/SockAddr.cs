using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Berth.Proxy.Native;

/// <summary>Native <c>sockaddr_in</c> / <c>sockaddr_in6</c> bytes (Linux layout: family in host order, port and address in network order).</summary>
internal static class SockAddr
{
    /// <summary>Big enough for either family.</summary>
    public const int MaxLength = 28;

    public static byte[] Of(IPEndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        var ipv4 = endPoint.AddressFamily == AddressFamily.InterNetwork;
        var bytes = new byte[ipv4 ? 16 : 28];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, (ushort)(ipv4 ? Sys.AF_INET : Sys.AF_INET6));
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(2), (ushort)endPoint.Port);
        endPoint.Address.TryWriteBytes(bytes.AsSpan(ipv4 ? 4 : 8), out _);
        return bytes;
    }

    public static bool IsIPv4(ReadOnlySpan<byte> address) => BinaryPrimitives.ReadUInt16LittleEndian(address) == Sys.AF_INET;

    public static int Port(ReadOnlySpan<byte> address) => BinaryPrimitives.ReadUInt16BigEndian(address[2..]);

    /// <summary>The address bytes: 4 at offset 4 (IPv4) or 16 at offset 8 (IPv6).</summary>
    public static ReadOnlySpan<byte> Address(ReadOnlySpan<byte> address) => IsIPv4(address) ? address.Slice(4, 4) : address.Slice(8, 16);

    public static IPEndPoint ToEndPoint(ReadOnlySpan<byte> address) => new(new IPAddress(Address(address)), Port(address));
}

using System.Buffers.Binary;
using System.Net;

namespace Berth.Proxy.Balancing;

/// <summary>
/// A client address as one number, the key of session affinity and UDP flows (allocation-free, unlike strings): IPv6
/// as is, IPv4 in its IPv4-mapped IPv6 form (<c>::ffff:a.b.c.d</c>), so the two families never collide.
/// </summary>
internal static class ClientKey
{
    private static readonly UInt128 _ipv4Mapped = (UInt128)0xFFFF << 32;

    public static UInt128 Of(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var written);
        return written == 4 ? OfIPv4(bytes) : BinaryPrimitives.ReadUInt128BigEndian(bytes);
    }

    /// <summary>The key of the IPv4 address in the first four bytes (network order) of <paramref name="address"/>.</summary>
    public static UInt128 OfIPv4(ReadOnlySpan<byte> address) => _ipv4Mapped | BinaryPrimitives.ReadUInt32BigEndian(address);

    /// <summary>The key of the IPv6 address in the sixteen bytes (network order) of <paramref name="address"/>.</summary>
    public static UInt128 OfIPv6(ReadOnlySpan<byte> address) => BinaryPrimitives.ReadUInt128BigEndian(address);

    /// <summary>The address a key stands for (IPv4 for the IPv4-mapped range).</summary>
    public static IPAddress ToAddress(UInt128 key)
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(bytes, key);
        return key >> 32 == _ipv4Mapped >> 32 ? new IPAddress(bytes[12..]) : new IPAddress(bytes);
    }
}

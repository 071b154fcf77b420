using System.Net;
using System.Net.Sockets;

namespace Berth.ApiServer.Allocation;

/// <summary>An IPv4 service CIDR: its usable addresses (not the network nor the broadcast address) as indexes.</summary>
public sealed class ServiceCidr
{
    private readonly uint _network;

    private ServiceCidr(uint network, int prefix, string text)
    {
        _network = network;
        Prefix = prefix;
        Text = text;
        var addresses = 1L << (32 - prefix);
        Usable = (int)Math.Max(0, addresses - 2);

        // KEP-3070: offset = min(max(16, size/16), 256), no static band for ranges of 16 addresses or fewer.
        StaticSize = addresses <= 16 ? 0 : (int)Math.Min(Math.Max(16, addresses / 16), 256);
    }

    public int Prefix { get; }

    public string Text { get; }

    public int Usable { get; }

    public int StaticSize { get; }

    /// <summary>The first usable address (<c>network + 1</c>), where the <c>kubernetes</c> Service lives.</summary>
    public IPAddress First => At(0);

    public static ServiceCidr Parse(string cidr)
    {
        var slash = cidr.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !IPAddress.TryParse(cidr[..slash], out var ip) || !int.TryParse(cidr[(slash + 1)..], out var prefix))
        {
            throw new ArgumentException($"not a CIDR: {cidr}");
        }

        if (ip.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new ArgumentException($"only IPv4 service CIDRs are supported so far: {cidr}");
        }

        if (prefix is < 12 or > 30)
        {
            throw new ArgumentException($"a service CIDR must be between /12 and /30 (as Kubernetes' allocator): {cidr}");
        }

        var value = ToUInt(ip);
        var mask = uint.MaxValue << (32 - prefix);
        return new ServiceCidr(value & mask, prefix, $"{FromUInt(value & mask)}/{prefix}");
    }

    public IPAddress At(int index) => FromUInt(_network + 1 + (uint)index);

    /// <summary>The index of <paramref name="ip"/>, or -1 when it is not a usable address of this range.</summary>
    public int IndexOf(IPAddress ip)
    {
        if (ip.AddressFamily != AddressFamily.InterNetwork)
        {
            return -1;
        }

        var offset = (long)ToUInt(ip) - _network - 1;
        return offset >= 0 && offset < Usable ? (int)offset : -1;
    }

    private static uint ToUInt(IPAddress ip)
    {
        var b = ip.GetAddressBytes();
        return ((uint)b[0] << 24) | ((uint)b[1] << 16) | ((uint)b[2] << 8) | b[3];
    }

    private static IPAddress FromUInt(uint v) => new([(byte)(v >> 24), (byte)(v >> 16), (byte)(v >> 8), (byte)v]);
}

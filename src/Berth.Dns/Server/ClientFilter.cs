using System.Net;
using System.Net.Sockets;

namespace Berth.Dns.Server;

/// <summary>
/// Which clients get answers (the rest get REFUSED): loopback always, plus the networks given — by default the pod
/// CIDRs of the cluster's Nodes — so the server is not an open resolver. Reads the sender straight from the
/// <see cref="SocketAddress"/> bytes: no allocation per query.
/// </summary>
internal sealed class ClientFilter
{
    /// <summary>Linux address families, as <c>sockaddr</c> starts (host byte order).</summary>
    private const ushort AfInet = 2;
    private const ushort AfInet6 = 10;

    private volatile IPNetwork[] _networks;

    public ClientFilter(IEnumerable<IPNetwork> networks, bool allowAll = false)
    {
        _networks = [.. networks];
        AllowAll = allowAll;
    }

    /// <summary>Every client is answered (<c>--dns-allow 0.0.0.0/0</c>).</summary>
    public bool AllowAll { get; }

    /// <summary>Replaces the allowed networks besides loopback (the Nodes' pod CIDRs change as Nodes come and go).</summary>
    public void SetNetworks(IEnumerable<IPNetwork> networks) => _networks = [.. networks];

    public bool IsAllowed(SocketAddress client) => IsAllowed(client.Buffer.Span[..client.Size]);

    /// <summary>Whether the sender of a raw <c>sockaddr</c> (as the kernel wrote it) may ask.</summary>
    public bool IsAllowed(ReadOnlySpan<byte> sockaddr)
    {
        if (AllowAll)
        {
            return true;
        }

        switch (sockaddr.Length >= 2 ? BitConverter.ToUInt16(sockaddr) : 0)
        {
            // sockaddr_in: family (2), port (2), address (4).
            case AfInet when sockaddr.Length >= 8:
                return sockaddr[4] == 127 || Matches(sockaddr.Slice(4, 4));

            // sockaddr_in6: family (2), port (2), flow info (4), address (16).
            case AfInet6 when sockaddr.Length >= 24:
                var address = sockaddr.Slice(8, 16);
                if (address[..15].IndexOfAnyExcept((byte)0) < 0 && address[15] == 1)
                {
                    return true;
                }

                // IPv4-mapped (::ffff:a.b.c.d): a dual-stack socket's IPv4 clients.
                return address[..10].IndexOfAnyExcept((byte)0) < 0 && address[10] == 0xFF && address[11] == 0xFF
                    ? address[12] == 127 || Matches(address[12..])
                    : Matches(address);
            default:
                return false;
        }
    }

    public bool IsAllowed(IPAddress client)
    {
        if (AllowAll || IPAddress.IsLoopback(client))
        {
            return true;
        }

        Span<byte> bytes = stackalloc byte[16];
        client = client.IsIPv4MappedToIPv6 ? client.MapToIPv4() : client;
        return client.TryWriteBytes(bytes, out var written) && Matches(bytes[..written]);
    }

    private bool Matches(ReadOnlySpan<byte> address)
    {
        foreach (var network in _networks)
        {
            if (Contains(network, address))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Contains(IPNetwork network, ReadOnlySpan<byte> address)
    {
        Span<byte> prefix = stackalloc byte[16];
        if (!network.BaseAddress.TryWriteBytes(prefix, out var length) || length != address.Length)
        {
            return false;
        }

        var bits = network.PrefixLength;
        var whole = bits / 8;
        if (!address[..whole].SequenceEqual(prefix[..whole]))
        {
            return false;
        }

        var rest = bits % 8;
        if (rest == 0)
        {
            return true;
        }

        var mask = (byte)(0xFF << (8 - rest));
        return (address[whole] & mask) == (prefix[whole] & mask);
    }
}

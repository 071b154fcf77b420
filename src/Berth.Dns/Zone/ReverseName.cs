using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Berth.Dns.Zone;

/// <summary>The PTR owner name of an address: <c>d.c.b.a.in-addr.arpa</c> (RFC 1035 §3.5) or the nibble form under <c>ip6.arpa</c> (RFC 3596 §2.5).</summary>
internal static class ReverseName
{
    public static string Of(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        var text = new StringBuilder();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            for (var i = bytes.Length - 1; i >= 0; i--)
            {
                text.Append(bytes[i].ToString(CultureInfo.InvariantCulture)).Append('.');
            }

            return text.Append(ZoneConfig.ReverseV4).ToString();
        }

        for (var i = bytes.Length - 1; i >= 0; i--)
        {
            text.Append(HexDigit(bytes[i] & 0xF)).Append('.').Append(HexDigit(bytes[i] >> 4)).Append('.');
        }

        return text.Append(ZoneConfig.ReverseV6).ToString();
    }

    private static char HexDigit(int nibble) => (char)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10);
}

using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Berth.Core.Validation;

/// <summary>
/// IP parsing with the semantics of <c>k8s.io/utils/net.ParseIPSloppy</c> / <c>ParseCIDRSloppy</c>
/// (Go's <c>net.ParseIP</c> before 1.17: dotted-quad IPv4 with leading zeros allowed, RFC 4291 IPv6, no
/// zones, no shorthand forms such as <c>10.1</c>). <see cref="IPAddress.TryParse(string, out IPAddress)"/>
/// alone is far more lenient, hence this wrapper.
/// </summary>
public static class IPAddresses
{
    public const string IPv4 = "IPv4";
    public const string IPv6 = "IPv6";

    /// <summary>Parses an IP; IPv4-mapped IPv6 addresses come back as IPv4, as Go's <c>To4()</c> sees them.</summary>
    public static IPAddress? ParseSloppy(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (value.Contains(':', StringComparison.Ordinal))
        {
            if (!value.All(c => Uri.IsHexDigit(c) || c is ':' or '.') || !IPAddress.TryParse(value, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6)
            {
                return null;
            }

            // An embedded IPv4 tail must itself be a strict dotted quad.
            var lastColon = value.LastIndexOf(':');
            var tail = value[(lastColon + 1)..];
            if (tail.Contains('.', StringComparison.Ordinal) && ParseV4(tail) is null)
            {
                return null;
            }

            return v6.IsIPv4MappedToIPv6 ? v6.MapToIPv4() : v6;
        }

        return ParseV4(value);
    }

    /// <summary>Parses <c>ip/prefix</c>; returns the address and prefix length, or null.</summary>
    public static (IPAddress Address, int PrefixLength)? ParseCIDRSloppy(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        var slash = value.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return null;
        }

        var ipText = value[..slash];
        var lenText = value[(slash + 1)..];
        var ip = ParseSloppy(ipText);
        if (ip is null || lenText.Length == 0 || lenText.Length > 3 || !lenText.All(char.IsAsciiDigit))
        {
            return null;
        }

        var len = int.Parse(lenText, CultureInfo.InvariantCulture);
        var max = ipText.Contains(':', StringComparison.Ordinal) ? 128 : 32;
        return len > max ? null : (ip, len);
    }

    /// <summary>"IPv4" or "IPv6" for a parsable IP, otherwise null (<c>netutils.IsIPv6String</c> et al.).</summary>
    public static string? FamilyOf(string? value) => ParseSloppy(value) switch
    {
        null => null,
        { AddressFamily: AddressFamily.InterNetworkV6 } => IPv6,
        _ => IPv4,
    };

    public static bool IsUnspecified(IPAddress ip) => ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any);

    public static bool IsLoopback(IPAddress ip) => IPAddress.IsLoopback(ip);

    public static bool IsLinkLocalUnicast(IPAddress ip)
    {
        var b = ip.GetAddressBytes();
        return ip.AddressFamily == AddressFamily.InterNetwork
            ? b[0] == 169 && b[1] == 254
            : b[0] == 0xfe && (b[1] & 0xc0) == 0x80;
    }

    public static bool IsLinkLocalMulticast(IPAddress ip)
    {
        var b = ip.GetAddressBytes();
        return ip.AddressFamily == AddressFamily.InterNetwork
            ? b[0] == 224 && b[1] == 0 && b[2] == 0
            : b[0] == 0xff && (b[1] & 0x0f) == 0x02;
    }

    private static IPAddress? ParseV4(string value)
    {
        var parts = value.Split('.');
        if (parts.Length != 4)
        {
            return null;
        }

        var bytes = new byte[4];
        for (var i = 0; i < 4; i++)
        {
            var p = parts[i];
            if (p.Length is 0 or > 3 || !p.All(char.IsAsciiDigit))
            {
                return null;
            }

            var n = int.Parse(p, CultureInfo.InvariantCulture);
            if (n > 255)
            {
                return null;
            }

            bytes[i] = (byte)n;
        }

        return new IPAddress(bytes);
    }
}

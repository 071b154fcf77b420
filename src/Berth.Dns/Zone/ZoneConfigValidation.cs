using Berth.Dns.Wire;

namespace Berth.Dns.Zone;

/// <summary>Checks of a cluster domain given on the command line.</summary>
internal static class ZoneConfigValidation
{
    /// <summary>A lower-case-able DNS name of letter/digit/hyphen labels (RFC 1123 §2.1), not the root.</summary>
    public static bool IsDomain(string domain)
    {
        var trimmed = domain.TrimEnd('.');
        return trimmed.Length > 0 && DnsName.IsValid(trimmed)
            && DnsName.Labels(trimmed).All(l => l.All(c => char.IsAsciiLetterOrDigit(c) || c == '-') && l[0] != '-' && l[^1] != '-');
    }
}

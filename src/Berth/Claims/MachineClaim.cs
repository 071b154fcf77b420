using System.Net;

namespace Berth.Claims;

/// <summary>
/// What one running Berth holds on this machine: address ranges (service, pod, load-balancer CIDRs, its node address as
/// a /32) and names (its node name), with its pid and data directory for messages.
/// </summary>
internal sealed record MachineClaim(int Pid, string DataDir, IReadOnlyList<ClaimedRange> Ranges, IReadOnlyList<string> Names)
{
    /// <summary>The first of <paramref name="ranges"/> that overlaps one of this claim's ranges, if any.</summary>
    public (ClaimedRange Mine, ClaimedRange Theirs)? Overlap(IEnumerable<ClaimedRange> ranges)
    {
        foreach (var wanted in ranges)
        {
            foreach (var held in Ranges)
            {
                if (wanted.Overlaps(held))
                {
                    return (wanted, held);
                }
            }
        }

        return null;
    }
}

/// <summary>A named CIDR (<c>service CIDR 127.96.0.0/12</c>).</summary>
internal sealed record ClaimedRange(string What, string Cidr)
{
    public bool Overlaps(ClaimedRange other)
    {
        if (!Cidr.Contains('/', StringComparison.Ordinal) || !other.Cidr.Contains('/', StringComparison.Ordinal))
        {
            return string.Equals(Cidr, other.Cidr, StringComparison.Ordinal);
        }

        var a = IPNetwork.Parse(Cidr);
        var b = IPNetwork.Parse(other.Cidr);
        return a.Contains(b.BaseAddress) || b.Contains(a.BaseAddress);
    }

    public override string ToString() => Cidr.EndsWith("/32", StringComparison.Ordinal) ? $"{What} {Cidr[..^3]}" : $"{What} {Cidr}";
}

using Berth.Dns.Wire;

namespace Berth.Dns.Zone;

/// <summary>An authoritative answer from the cluster zone, before rendering: what the golden tests pin.</summary>
internal sealed record ZoneAnswer(ResponseCode Rcode, IReadOnlyList<ResourceRecord> Answer, IReadOnlyList<ResourceRecord> Authority, IReadOnlyList<ResourceRecord> Additional)
{
    public static ZoneAnswer Negative(ResponseCode rcode, ResourceRecord soa) => new(rcode, [], [soa], []);
}

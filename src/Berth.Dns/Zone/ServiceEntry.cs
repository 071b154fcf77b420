namespace Berth.Dns.Zone;

/// <summary>What one Service adds to the zone: the names under <c>&lt;svc&gt;.&lt;ns&gt;.svc.&lt;zone&gt;</c> and the PTR records of its addresses.</summary>
internal sealed record ServiceEntry(IReadOnlyList<NameNode> Nodes, IReadOnlyList<KeyValuePair<string, string>> Pointers)
{
    public static ServiceEntry Empty { get; } = new([], []);
}

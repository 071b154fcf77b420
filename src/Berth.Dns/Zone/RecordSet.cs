using Berth.Dns.Wire;

namespace Berth.Dns.Zone;

/// <summary>The records of one type at one name, and what goes into the additional section with them (an SRV target's addresses).</summary>
internal sealed record RecordSet(RecordType Type, IReadOnlyList<ResourceRecord> Records, IReadOnlyList<ResourceRecord> Additional);

using System.Net;
using Berth.Proxy.Balancing;

namespace Berth.Proxy.Observability;

/// <summary>
/// A bounded ring of the latest connection decisions (<c>/proxy/trace</c>, <c>berth proxy-trace</c>). Writers claim a
/// slot with one atomic increment and never block each other or allocate; each slot carries a sequence number (odd
/// while being written) so a reader never shows a half-written record. <see cref="Snapshot"/> returns oldest first.
/// </summary>
internal sealed class ConnectionTrace
{
    private readonly Slot[] _ring;
    private long _written;

    public ConnectionTrace(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _ring = new Slot[capacity];
    }

    public int Capacity => _ring.Length;

    public void Add(in TraceRecord record)
    {
        ref var slot = ref _ring[(Interlocked.Increment(ref _written) - 1) % _ring.Length];
        Interlocked.Increment(ref slot.Sequence);
        slot.Record = record;
        Interlocked.Increment(ref slot.Sequence);
    }

    /// <summary>The entries held now, oldest first (a slot being written at this moment is left out).</summary>
    public IReadOnlyList<TraceEntry> Snapshot()
    {
        var entries = new List<TraceEntry>(_ring.Length);
        for (var i = 0; i < _ring.Length; i++)
        {
            ref var slot = ref _ring[i];
            var before = Volatile.Read(ref slot.Sequence);
            var record = slot.Record;
            if (before == 0 || (before & 1) != 0 || Volatile.Read(ref slot.Sequence) != before)
            {
                continue;
            }

            entries.Add(new TraceEntry(
                record.Time,
                new IPEndPoint(ClientKey.ToAddress(record.Client), record.ClientPort),
                record.Frontend,
                record.ServicePort,
                record.Endpoint?.Name,
                record.Decision,
                record.Detail));
        }

        entries.Sort((a, b) => a.Time.CompareTo(b.Time));
        return entries;
    }

    private struct Slot
    {
        public int Sequence;
        public TraceRecord Record;
    }
}

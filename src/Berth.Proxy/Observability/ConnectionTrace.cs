namespace Berth.Proxy.Observability;

/// <summary>
/// A bounded ring of the latest connection decisions (<c>/proxy/trace</c>, <c>berth proxy-trace</c>). Writers never
/// block each other; a reader gets the entries oldest first.
/// </summary>
internal sealed class ConnectionTrace
{
    private readonly TraceEntry?[] _ring;
    private long _written;

    public ConnectionTrace(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _ring = new TraceEntry?[capacity];
    }

    public int Capacity => _ring.Length;

    public void Add(TraceEntry entry)
    {
        var slot = (Interlocked.Increment(ref _written) - 1) % _ring.Length;
        Volatile.Write(ref _ring[slot], entry);
    }

    /// <summary>The entries held now, oldest first.</summary>
    public IReadOnlyList<TraceEntry> Snapshot()
    {
        var written = Volatile.Read(ref _written);
        var count = (int)Math.Min(written, _ring.Length);
        var entries = new List<TraceEntry>(count);
        for (var i = written - count; i < written; i++)
        {
            if (Volatile.Read(ref _ring[i % _ring.Length]) is { } entry)
            {
                entries.Add(entry);
            }
        }

        // A writer that claimed a slot but has not filled it yet leaves the previous round's entry there: order by time.
        entries.Sort((a, b) => a.Time.CompareTo(b.Time));
        return entries;
    }
}

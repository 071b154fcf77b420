namespace Berth.ApiServer.Allocation;

/// <summary>
/// The NodePort range (default 30000-32767), shared by <c>nodePort</c> and <c>healthCheckNodePort</c>, with the
/// static band of KEP-3668: <c>min(max(16, size/32), 128)</c> ports at the bottom, preferred for explicit requests.
/// </summary>
public sealed class NodePortAllocator
{
    private readonly Lock _lock = new();
    private readonly BandedBitmap _bitmap;

    public NodePortAllocator(int first, int last, Random? random = null)
    {
        if (first < 1 || last > 65535 || last < first)
        {
            throw new ArgumentException($"not a port range: {first}-{last}");
        }

        First = first;
        Last = last;
        var size = last - first + 1;
        var staticSize = size < 16 ? 0 : Math.Min(Math.Max(16, size / 32), 128);
        _bitmap = new BandedBitmap(size, staticSize, random ?? Random.Shared);
    }

    public int First { get; }

    public int Last { get; }

    public string Range => $"{First}-{Last}";

    public static NodePortAllocator Parse(string range, Random? random = null)
    {
        var dash = range.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0 || !int.TryParse(range[..dash], out var first) || !int.TryParse(range[(dash + 1)..], out var last))
        {
            throw new ArgumentException($"not a port range: {range}");
        }

        return new NodePortAllocator(first, last, random);
    }

    public bool Contains(int port) => port >= First && port <= Last;

    public AllocationOutcome Allocate(int port)
    {
        if (!Contains(port))
        {
            return AllocationOutcome.OutOfRange;
        }

        lock (_lock)
        {
            return _bitmap.TryClaim(port - First) ? AllocationOutcome.Allocated : AllocationOutcome.AlreadyAllocated;
        }
    }

    /// <summary>A free port, or 0 when the range is full.</summary>
    public int AllocateNext()
    {
        lock (_lock)
        {
            var index = _bitmap.ClaimNext();
            return index < 0 ? 0 : First + index;
        }
    }

    public void Release(int port)
    {
        if (!Contains(port))
        {
            return;
        }

        lock (_lock)
        {
            _bitmap.Release(port - First);
        }
    }

    /// <summary>Every allocated port, as a snapshot (for the repair loop).</summary>
    public IReadOnlyList<int> AllocatedPorts()
    {
        lock (_lock)
        {
            return _bitmap.Used().Select(i => First + i).ToList();
        }
    }

    public bool IsAllocated(int port)
    {
        lock (_lock)
        {
            return Contains(port) && _bitmap.IsUsed(port - First);
        }
    }
}

namespace Berth.ApiServer.Allocation;

/// <summary>
/// A bitmap of <c>size</c> slots split into a static band (the first <c>staticSize</c> slots, preferred for
/// values users pick) and a dynamic band (the rest, where random allocation starts). As Kubernetes'
/// <c>randomScanStrategyWithOffset</c> (KEP-3070 for IPs, KEP-3668 for NodePorts): a random start in the dynamic band,
/// scanning forward with wrap-around; the static band only when the dynamic one is full. Not thread-safe.
/// </summary>
internal sealed class BandedBitmap
{
    private readonly bool[] _used;
    private readonly int _staticSize;
    private readonly Random _random;

    public BandedBitmap(int size, int staticSize, Random random)
    {
        _used = new bool[size];
        _staticSize = Math.Clamp(staticSize, 0, size);
        _random = random;
    }

    public int Size => _used.Length;

    public int Count { get; private set; }

    public bool IsUsed(int index) => _used[index];

    /// <summary>The indexes in use, as a snapshot.</summary>
    public List<int> Used()
    {
        var used = new List<int>(Count);
        for (var i = 0; i < _used.Length; i++)
        {
            if (_used[i])
            {
                used.Add(i);
            }
        }

        return used;
    }

    public bool TryClaim(int index)
    {
        if (_used[index])
        {
            return false;
        }

        _used[index] = true;
        Count++;
        return true;
    }

    public void Release(int index)
    {
        if (_used[index])
        {
            _used[index] = false;
            Count--;
        }
    }

    /// <summary>The index of a newly claimed free slot, or -1 when every slot is taken.</summary>
    public int ClaimNext()
    {
        var index = Scan(_staticSize, _used.Length);
        if (index < 0)
        {
            index = Scan(0, _staticSize);
        }

        if (index >= 0)
        {
            _used[index] = true;
            Count++;
        }

        return index;
    }

    private int Scan(int from, int to)
    {
        var length = to - from;
        if (length <= 0)
        {
            return -1;
        }

        var start = _random.Next(length);
        for (var i = 0; i < length; i++)
        {
            var index = from + ((start + i) % length);
            if (!_used[index])
            {
                return index;
            }
        }

        return -1;
    }
}

using System.Net;

namespace Berth.ApiServer.Allocation;

/// <summary>
/// Cluster IPs of one service CIDR. The allocation state lives in memory and is rebuilt from the stored Services at
/// start (the Services are the record of what is allocated); every Service write of this server goes through it,
/// under its lock, so allocation and the write form one transaction (see <c>ServiceAllocation</c>).
/// </summary>
public sealed class ClusterIpAllocator
{
    private readonly Lock _lock = new();
    private readonly BandedBitmap _bitmap;

    public ClusterIpAllocator(ServiceCidr cidr, Random? random = null)
    {
        Cidr = cidr;
        _bitmap = new BandedBitmap(cidr.Usable, cidr.StaticSize, random ?? Random.Shared);
    }

    public ServiceCidr Cidr { get; }

    public int Allocated
    {
        get
        {
            lock (_lock)
            {
                return _bitmap.Count;
            }
        }
    }

    public AllocationOutcome Allocate(IPAddress ip)
    {
        var index = Cidr.IndexOf(ip);
        if (index < 0)
        {
            return AllocationOutcome.OutOfRange;
        }

        lock (_lock)
        {
            return _bitmap.TryClaim(index) ? AllocationOutcome.Allocated : AllocationOutcome.AlreadyAllocated;
        }
    }

    public IPAddress? AllocateNext()
    {
        lock (_lock)
        {
            var index = _bitmap.ClaimNext();
            return index < 0 ? null : Cidr.At(index);
        }
    }

    public void Release(IPAddress ip)
    {
        var index = Cidr.IndexOf(ip);
        if (index < 0)
        {
            return;
        }

        lock (_lock)
        {
            _bitmap.Release(index);
        }
    }

    /// <summary>Every allocated address, as a snapshot (for the repair loop).</summary>
    public IReadOnlyList<IPAddress> AllocatedAddresses()
    {
        lock (_lock)
        {
            return _bitmap.Used().Select(Cidr.At).ToList();
        }
    }

    public bool IsAllocated(IPAddress ip)
    {
        var index = Cidr.IndexOf(ip);
        lock (_lock)
        {
            return index >= 0 && _bitmap.IsUsed(index);
        }
    }
}

using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Berth.Controllers.LoadBalancer;

/// <summary>
/// Hands out the usable addresses of one IPv4 CIDR (network and broadcast addresses excluded, except in /31 and /32)
/// to Services by key, lowest free address first. Not thread-safe: the controller serializes calls.
/// </summary>
internal sealed class LoadBalancerIPAllocator
{
    private readonly uint _first;
    private readonly uint _last;
    private readonly Dictionary<uint, string> _holders = [];
    private readonly Dictionary<string, uint> _byKey = new(StringComparer.Ordinal);

    public LoadBalancerIPAllocator(string pool)
    {
        ArgumentException.ThrowIfNullOrEmpty(pool);
        // IPNetwork.TryParse accepts host bits ("10.0.0.1/24"); a pool must name its network address.
        if (!IPNetwork.TryParse(pool, out var network) || network.BaseAddress.AddressFamily != AddressFamily.InterNetwork
            || !IPAddress.TryParse(pool.Split('/')[0], out var written) || !written.Equals(network.BaseAddress))
        {
            throw new ArgumentException($"--lb-pool must be an IPv4 CIDR, not {pool}", nameof(pool));
        }

        Pool = pool;
        var bits = network.PrefixLength;
        var size = bits == 0 ? uint.MaxValue : (1u << (32 - bits)) - 1;
        var start = ToUInt32(network.BaseAddress);
        (_first, _last) = bits >= 31 ? (start, start + size) : (start + 1, start + size - 1);
    }

    public string Pool { get; }

    /// <summary>How many addresses the pool can hand out.</summary>
    public long Capacity => (long)_last - _first + 1;

    public string? AddressOf(string key) => _byKey.TryGetValue(key, out var ip) ? ToString(ip) : null;

    /// <summary>
    /// Gives <paramref name="key"/> the <paramref name="requested"/> address, or, with none requested, keeps the one it
    /// holds or picks the lowest free one. A key holds at most one address: taking a requested one releases the old.
    /// </summary>
    public AllocationResult Allocate(string key, string? requested)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        if (requested is not null)
        {
            if (!IPAddress.TryParse(requested, out var address) || address.AddressFamily != AddressFamily.InterNetwork)
            {
                return new AllocationResult(AllocationOutcome.NotInPool, requested);
            }

            var ip = ToUInt32(address);
            if (ip < _first || ip > _last)
            {
                return new AllocationResult(AllocationOutcome.NotInPool, requested);
            }

            if (_holders.TryGetValue(ip, out var holder))
            {
                return holder == key ? AllocationResult.Allocated(ToString(ip)) : new AllocationResult(AllocationOutcome.InUse, ToString(ip), holder);
            }

            Release(key);
            Take(key, ip);
            return AllocationResult.Allocated(ToString(ip));
        }

        if (_byKey.TryGetValue(key, out var held))
        {
            return AllocationResult.Allocated(ToString(held));
        }

        for (var ip = (long)_first; ip <= _last; ip++)
        {
            if (!_holders.ContainsKey((uint)ip))
            {
                Take(key, (uint)ip);
                return AllocationResult.Allocated(ToString((uint)ip));
            }
        }

        return new AllocationResult(AllocationOutcome.Exhausted);
    }

    /// <summary>Frees the address of <paramref name="key"/>; false when it held none.</summary>
    public bool Release(string key)
    {
        if (!_byKey.Remove(key, out var ip))
        {
            return false;
        }

        _holders.Remove(ip);
        return true;
    }

    private void Take(string key, uint ip)
    {
        _holders[ip] = key;
        _byKey[key] = ip;
    }

    private static uint ToUInt32(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        return BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }

    private static string ToString(uint ip)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, ip);
        return new IPAddress(bytes).ToString();
    }
}

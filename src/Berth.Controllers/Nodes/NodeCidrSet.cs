using System.Collections;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Berth.Controllers.Nodes;

/// <summary>
/// The pod CIDRs of one cluster CIDR cut into subnets of one prefix length, a bit per subnet — Kubernetes'
/// <c>pkg/controller/nodeipam/ipam/cidrset</c>: <see cref="AllocateNext"/> hands out the next free subnet after the
/// last one given (round robin, so a released subnet is not reused at once), <see cref="Occupy"/> marks a Node's
/// existing CIDR (any size; the subnets it overlaps), <see cref="Release"/> frees one. Not thread-safe: the owner locks.
/// </summary>
internal sealed class NodeCidrSet
{
    /// <summary>Upstream's <c>clusterSubnetMaxDiff</c>: at most 2^16 subnets.</summary>
    private const int MaxSubnetBits = 16;

    private readonly UInt128 _base;
    private readonly int _bits;
    private readonly int _subnetPrefix;
    private readonly BitArray _used;
    private int _nextCandidate;

    private NodeCidrSet(IPNetwork cluster, int subnetPrefix)
    {
        Cluster = cluster;
        _bits = cluster.BaseAddress.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        _base = ToNumber(cluster.BaseAddress);
        _subnetPrefix = subnetPrefix;
        _used = new BitArray(1 << (subnetPrefix - cluster.PrefixLength));
    }

    public IPNetwork Cluster { get; }

    /// <summary>How many subnets the set holds.</summary>
    public int Capacity => _used.Length;

    /// <summary>How many subnets are taken.</summary>
    public int Allocated { get; private set; }

    /// <summary>Parses and checks the cluster CIDR and mask size (throws <see cref="ArgumentException"/> with the flag names).</summary>
    public static NodeCidrSet Create(string clusterCidr, int nodeMaskSize)
    {
        if (!IPNetwork.TryParse(clusterCidr, out var cluster) || HasHostBits(clusterCidr, cluster))
        {
            throw new ArgumentException($"--cluster-cidr: not a CIDR (with no host bits set): {clusterCidr}");
        }

        var bits = cluster.BaseAddress.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        if (nodeMaskSize < cluster.PrefixLength || nodeMaskSize > bits)
        {
            throw new ArgumentException($"--node-cidr-mask-size {nodeMaskSize} must be between the cluster CIDR's prefix length {cluster.PrefixLength} and {bits}");
        }

        if (nodeMaskSize - cluster.PrefixLength > MaxSubnetBits)
        {
            throw new ArgumentException($"--node-cidr-mask-size {nodeMaskSize} is too big for {clusterCidr}: at most {MaxSubnetBits} bits more than the cluster CIDR's prefix");
        }

        return new NodeCidrSet(cluster, nodeMaskSize);
    }

    /// <summary>The next free subnet, or null when every one is taken (upstream: <c>ErrCIDRRangeNoCIDRsRemaining</c>).</summary>
    public string? AllocateNext()
    {
        for (var i = 0; i < _used.Length; i++)
        {
            var candidate = (_nextCandidate + i) % _used.Length;
            if (!_used[candidate])
            {
                _used[candidate] = true;
                Allocated++;
                _nextCandidate = (candidate + 1) % _used.Length;
                return SubnetAt(candidate);
            }
        }

        return null;
    }

    /// <summary>Marks the subnets <paramref name="cidr"/> overlaps as taken; false when it is not a CIDR or lies outside the cluster CIDR.</summary>
    public bool Occupy(string cidr) => Mark(cidr, true);

    /// <summary>Frees the subnets <paramref name="cidr"/> overlaps; false when it is not a CIDR or lies outside the cluster CIDR.</summary>
    public bool Release(string cidr) => Mark(cidr, false);

    private bool Mark(string cidr, bool used)
    {
        if (!TryIndices(cidr, out var begin, out var end))
        {
            return false;
        }

        for (var i = begin; i <= end; i++)
        {
            if (_used[i] != used)
            {
                _used[i] = used;
                Allocated += used ? 1 : -1;
            }
        }

        return true;
    }

    /// <summary>The subnet indices <paramref name="cidr"/> overlaps (upstream <c>getBeginningAndEndIndices</c>).</summary>
    private bool TryIndices(string cidr, out int begin, out int end)
    {
        begin = end = 0;
        if (!IPNetwork.TryParse(cidr, out var network) || network.BaseAddress.AddressFamily != Cluster.BaseAddress.AddressFamily)
        {
            return false;
        }

        var first = ToNumber(network.BaseAddress);
        var last = first + (network.PrefixLength == _bits ? UInt128.Zero : (UInt128.One << (_bits - network.PrefixLength)) - 1);
        var clusterLast = _base + ((UInt128.One << (_bits - Cluster.PrefixLength)) - 1);
        if (last < _base || first > clusterLast)
        {
            return false;
        }

        var shift = _bits - _subnetPrefix;
        begin = (int)((UInt128.Max(first, _base) - _base) >> shift);
        end = (int)((UInt128.Min(last, clusterLast) - _base) >> shift);
        return true;
    }

    private string SubnetAt(int index)
    {
        var number = _base + ((UInt128)index << (_bits - _subnetPrefix));
        return FromNumber(number).ToString() + "/" + _subnetPrefix.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Whether the text has address bits set past the prefix (<c>10.0.0.1/8</c>; .NET masks them silently).</summary>
    private static bool HasHostBits(string text, IPNetwork network) =>
        !IPAddress.TryParse(text.AsSpan(0, Math.Max(0, text.IndexOf('/', StringComparison.Ordinal))), out var address) || !address.Equals(network.BaseAddress);

    private static UInt128 ToNumber(IPAddress address)
    {
        var value = UInt128.Zero;
        foreach (var b in address.GetAddressBytes())
        {
            value = (value << 8) | b;
        }

        return value;
    }

    private IPAddress FromNumber(UInt128 value)
    {
        var bytes = new byte[_bits / 8];
        for (var i = bytes.Length - 1; i >= 0; i--)
        {
            bytes[i] = (byte)(value & 0xFF);
            value >>= 8;
        }

        return new IPAddress(bytes);
    }
}

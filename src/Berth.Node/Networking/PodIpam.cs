using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Berth.Node.Networking;

/// <summary>
/// Gives pods addresses from the node's pod CIDR (host mode: a 127.244.N.0/24, all of it on <c>lo</c> without root),
/// as a CNI host-local IPAM would: never the network address, the gateway (<c>.1</c>) or the broadcast address; never
/// one address to two live pods; a released address waits at least <see cref="Quarantine"/> and is handed out again
/// only after every address released before it (least recently released first), so a client still talking to a gone
/// pod does not reach its successor. Addresses never used come first.
/// </summary>
/// <remarks>Thread-safe. A restarted agent calls <see cref="Reserve"/> with the <c>status.podIP</c> of its pods before
/// allocating anything.</remarks>
internal sealed class PodIpam
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly uint _first;
    private readonly uint _last;
    private readonly Dictionary<uint, string> _owners = [];
    private readonly Dictionary<string, uint> _byOwner = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _identityOf = new(StringComparer.Ordinal);
    private readonly LinkedList<(uint Address, DateTimeOffset Released, string? Identity)> _released = new();
    private uint _nextFresh;

    public PodIpam(string cidr, TimeSpan quarantine, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrEmpty(cidr);
        ArgumentNullException.ThrowIfNull(time);
        var slash = cidr.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !IPAddress.TryParse(cidr[..slash], out var network) || network.AddressFamily != AddressFamily.InterNetwork
            || !int.TryParse(cidr[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var prefix) || prefix is < 8 or > 29)
        {
            throw new ArgumentException($"pod CIDR \"{cidr}\" must be an IPv4 CIDR with a prefix of /8 to /29", nameof(cidr));
        }

        var mask = uint.MaxValue << (32 - prefix);
        var start = ToUInt(network) & mask;
        Cidr = cidr;
        Quarantine = quarantine;
        _time = time;
        _first = start + 2; // .0 is the network, .1 the gateway
        _last = (start | ~mask) - 1; // the last is the broadcast address
        _nextFresh = _first;
    }

    public string Cidr { get; }

    /// <summary>The least time a released address stays unused.</summary>
    public TimeSpan Quarantine { get; }

    /// <summary>How many addresses pods can get.</summary>
    public int Capacity => (int)(_last - _first + 1);

    /// <summary>Whether <paramref name="address"/> is one this allocator gives out.</summary>
    public bool Contains(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetwork && ToUInt(address) >= _first && ToUInt(address) <= _last;

    /// <summary>
    /// The address of <paramref name="owner"/> (a pod UID), allocating one; <c>null</c> when none is free. A pod with a
    /// stable <paramref name="identity"/> (a StatefulSet's pod: <c>namespace/name</c>) gets back the address its
    /// predecessor of that identity released, quarantine or not, while nobody else holds it: clients that still talk
    /// to the old address reach the pod that took its place under the same name.
    /// </summary>
    public IPAddress? Allocate(string owner, string? identity = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        lock (_gate)
        {
            if (_byOwner.TryGetValue(owner, out var existing))
            {
                return FromUInt(existing);
            }

            if (identity is not null)
            {
                _identityOf[owner] = identity;
                for (var node = _released.Last; node is not null; node = node.Previous)
                {
                    if (node.Value.Identity == identity && !_owners.ContainsKey(node.Value.Address))
                    {
                        _released.Remove(node);
                        return Take(node.Value.Address, owner);
                    }
                }
            }

            while (_nextFresh <= _last && _nextFresh >= _first)
            {
                var candidate = _nextFresh++;
                if (!_owners.ContainsKey(candidate) && !IsQuarantined(candidate))
                {
                    return Take(candidate, owner);
                }
            }

            var now = _time.GetUtcNow();
            for (var node = _released.First; node is not null; node = node.Next)
            {
                if (now - node.Value.Released < Quarantine)
                {
                    break; // ordered by release time: everything after is younger
                }

                if (!_owners.ContainsKey(node.Value.Address))
                {
                    _released.Remove(node);
                    return Take(node.Value.Address, owner);
                }
            }

            return null;
        }
    }

    /// <summary>
    /// Records that <paramref name="owner"/> holds <paramref name="address"/> (learned from a pod's status after a
    /// restart). False when the address is outside the range or another owner holds it.
    /// </summary>
    public bool Reserve(IPAddress address, string owner)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentException.ThrowIfNullOrEmpty(owner);
        if (!Contains(address))
        {
            return false;
        }

        var value = ToUInt(address);
        lock (_gate)
        {
            if (_owners.TryGetValue(value, out var holder))
            {
                return holder == owner;
            }

            if (_byOwner.ContainsKey(owner))
            {
                return false;
            }

            RemoveReleased(value);
            Take(value, owner);
            return true;
        }
    }

    /// <summary>Frees the address of <paramref name="owner"/>; it rests in quarantine before anyone gets it again.</summary>
    public void Release(string owner)
    {
        lock (_gate)
        {
            _identityOf.Remove(owner, out var identity);
            if (_byOwner.Remove(owner, out var address))
            {
                _owners.Remove(address);
                _released.AddLast((address, _time.GetUtcNow(), identity));
            }
        }
    }

    /// <summary>The address <paramref name="owner"/> holds, if any.</summary>
    public IPAddress? Find(string owner)
    {
        lock (_gate)
        {
            return _byOwner.TryGetValue(owner, out var address) ? FromUInt(address) : null;
        }
    }

    private IPAddress Take(uint address, string owner)
    {
        _owners[address] = owner;
        _byOwner[owner] = address;
        return FromUInt(address);
    }

    private bool IsQuarantined(uint address)
    {
        foreach (var (released, _, _) in _released)
        {
            if (released == address)
            {
                return true;
            }
        }

        return false;
    }

    private void RemoveReleased(uint address)
    {
        for (var node = _released.First; node is not null; node = node.Next)
        {
            if (node.Value.Address == address)
            {
                _released.Remove(node);
                return;
            }
        }
    }

    private static uint ToUInt(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        return BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }

    private static IPAddress FromUInt(uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return new IPAddress(bytes);
    }
}

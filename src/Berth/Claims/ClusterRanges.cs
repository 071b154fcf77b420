using System.Text.Json;
using System.Text.Json.Serialization;
using Berth.Core.Files;

namespace Berth.Claims;

/// <summary>
/// The address ranges and node identity of one cluster: what <c>berth up</c> claims machine-wide
/// (<see cref="MachineClaims"/>) and keeps in <c>&lt;data-dir&gt;/cluster.json</c>, so that a restart gets the same
/// ranges (its Services' cluster IPs and its pods' addresses were handed out from them).
/// </summary>
/// <remarks>
/// Slot 0 is the documented default plan (service CIDR 127.96.0.0/12 with cluster DNS at 127.96.0.10, pods
/// 127.244.0.0/16, load balancers 127.200.0.0/24, node address 127.0.0.1). When another running Berth holds part of it,
/// the first free slot k of 1–95 is taken instead: service 127.k.0.0/20 (DNS 127.k.0.10), pods 127.k.64.0/18, load
/// balancers 127.k.128.0/24, node address 127.k.200.1 (so its NodePorts never meet another cluster's), node name
/// <c>&lt;host&gt;-k</c>. Blocks 127.100–127.199 are left to the test suites (tests/Shared/AddressBlock).
/// </remarks>
internal sealed record ClusterRanges(
    string? ServiceCidr = null,
    string? ClusterCidr = null,
    string? LoadBalancerPool = null,
    string? NodeAddress = null,
    string? NodeName = null)
{
    private const string FileName = "cluster.json";
    private const int LastSlot = 95;

    private static readonly JsonSerializerOptions _json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Slot <paramref name="k"/> of the plan (see remarks).</summary>
    public static ClusterRanges Slot(int k, string hostName) => k == 0
        ? new("127.96.0.0/12", "127.244.0.0/16", "127.200.0.0/24", "127.0.0.1", hostName)
        : new($"127.{k}.0.0/20", $"127.{k}.64.0/18", $"127.{k}.128.0/24", $"127.{k}.200.1", $"{hostName}-{k}");

    /// <summary>Fields of <paramref name="over"/> that are set win over this one's.</summary>
    public ClusterRanges With(ClusterRanges over) => new(
        over.ServiceCidr ?? ServiceCidr,
        over.ClusterCidr ?? ClusterCidr,
        over.LoadBalancerPool ?? LoadBalancerPool,
        over.NodeAddress ?? NodeAddress,
        over.NodeName ?? NodeName);

    /// <summary>What a cluster with these ranges holds on the machine; the node's part only when it runs a node.</summary>
    public IEnumerable<ClaimedRange> Claimed(bool withNode)
    {
        if (ServiceCidr is not null)
        {
            yield return new("service CIDR", ServiceCidr);
        }

        if (ClusterCidr is not null)
        {
            yield return new("pod CIDR", ClusterCidr);
        }

        if (LoadBalancerPool is not null)
        {
            yield return new("load-balancer pool", LoadBalancerPool);
        }

        if (withNode && NodeAddress is not null)
        {
            yield return new("node address", NodeAddress + "/32");
        }
    }

    public static ClusterRanges? Load(string dataDir)
    {
        var path = Path.Combine(dataDir, FileName);
        return File.Exists(path) ? JsonSerializer.Deserialize<ClusterRanges>(File.ReadAllText(path), _json) : null;
    }

    public void Save(string dataDir) => PrivateFiles.WriteAllText(Path.Combine(dataDir, FileName), JsonSerializer.Serialize(this, _json) + "\n");

    /// <summary>
    /// Chooses this cluster's ranges: <paramref name="pinned"/> fields (flags, or what the data directory recorded) are
    /// kept and must be free; the rest come from the first slot that is free. Throws <see cref="ClaimException"/> when a
    /// pinned value is held by another Berth, or no slot is free.
    /// </summary>
    /// <returns>The ranges, and a line for the user when they are not the default plan's because of another Berth.</returns>
    public static (ClusterRanges Ranges, string? Note) Choose(ClusterRanges pinned, bool withNode, string hostName, IReadOnlyList<MachineClaim> live)
    {
        ArgumentNullException.ThrowIfNull(pinned);
        string? note = null;
        for (var k = 0; k <= LastSlot; k++)
        {
            var candidate = Slot(k, hostName).With(pinned);
            var clash = FirstClash(candidate, withNode, live);
            if (clash is null)
            {
                return (candidate, note is null ? null : note + "this cluster uses " + string.Join(", ", candidate.Claimed(withNode)) + (withNode ? $", node name {candidate.NodeName}" : ""));
            }

            var (mine, holder) = clash.Value;
            if (IsPinned(pinned, mine.What))
            {
                throw new ClaimException($"{mine} is held by another berth (pid {holder.Pid}, data directory {holder.DataDir}); stop it, or choose another {Flag(mine.What)}");
            }

            note ??= $"{mine} is held by another berth (pid {holder.Pid}, data directory {holder.DataDir}); ";
        }

        throw new ClaimException($"every address slot 127.1–127.{LastSlot} is held by other berths; give this one its ranges with --service-cidr, --cluster-cidr, --lb-pool and --node-address");
    }

    private static (ClaimedRange Mine, MachineClaim Holder)? FirstClash(ClusterRanges candidate, bool withNode, IReadOnlyList<MachineClaim> live)
    {
        var wanted = candidate.Claimed(withNode).ToList();
        foreach (var claim in live)
        {
            if (claim.Overlap(wanted) is { } overlap)
            {
                return (overlap.Mine, claim);
            }

            if (withNode && candidate.NodeName is { } name && claim.Names.Contains("node " + name))
            {
                return (new ClaimedRange("node name", name), claim);
            }
        }

        return null;
    }

    private static bool IsPinned(ClusterRanges pinned, string what) => what switch
    {
        "service CIDR" => pinned.ServiceCidr is not null,
        "pod CIDR" => pinned.ClusterCidr is not null,
        "load-balancer pool" => pinned.LoadBalancerPool is not null,
        "node address" => pinned.NodeAddress is not null,
        _ => pinned.NodeName is not null,
    };

    private static string Flag(string what) => what switch
    {
        "service CIDR" => "--service-cidr",
        "pod CIDR" => "--cluster-cidr",
        "load-balancer pool" => "--lb-pool",
        "node address" => "--node-address",
        _ => "--node-name",
    };
}

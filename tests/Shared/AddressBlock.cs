namespace Berth.Tests.Shared;

/// <summary>
/// A <c>127.X.0.0/16</c> block that no other test process on this machine uses while this object is alive, for a
/// test cluster whose proxy or DNS binds service addresses: its service CIDR, load-balancer pool and pod CIDR are
/// carved from the block. Blocks 127.100–127.199 are claimed with an exclusive lock on a file under
/// <c>/tmp/berth-test-blocks</c>; the kernel drops the lock when the process ends, however it ends.
/// </summary>
/// <remarks>
/// Test assemblies run side by side, and a proxy that binds <c>127.96.0.1:443</c> in one of them would make the same
/// bind fail in another. Other ranges stay with their users: 127.0.0.x (the benchmarks' backends), 127.96/12 (the
/// default service CIDR), 127.200 (the default load-balancer pool), 127.244 (the default pod CIDR, the node tests).
/// </remarks>
internal sealed class AddressBlock : IDisposable
{
    private const int First = 100;
    private const int Count = 100;
    private static readonly string _lockDir = Path.Combine(Path.GetTempPath(), "berth-test-blocks");

    private readonly FileStream _lock;

    private AddressBlock(int octet, FileStream held)
    {
        Octet = octet;
        _lock = held;
    }

    /// <summary>The second octet: the block is <c>127.{Octet}.0.0/16</c>.</summary>
    public int Octet { get; }

    public string Prefix => $"127.{Octet}.";

    /// <summary>Service CIDR <c>127.X.0.0/20</c>: the <c>kubernetes</c> Service at .0.1, cluster DNS at .0.10.</summary>
    public string ServiceCidr => $"127.{Octet}.0.0/20";

    /// <summary>Pod CIDR <c>127.X.64.0/18</c> (a /24 per node: 64 nodes).</summary>
    public string ClusterCidr => $"127.{Octet}.64.0/18";

    /// <summary>Load-balancer pool <c>127.X.128.0/24</c>.</summary>
    public string LoadBalancerPool => $"127.{Octet}.128.0/24";

    /// <summary>
    /// A NodePort range of 27 ports no other block has (30000 + 27·(X−100) …), so that NodePorts opened on a shared
    /// address such as 127.0.0.1 never collide between test clusters.
    /// </summary>
    public string NodePortRange => $"{30000 + (27 * (Octet - First))}-{30000 + (27 * (Octet - First)) + 26}";

    /// <summary>The cluster DNS address of <see cref="ServiceCidr"/> (its 10th address).</summary>
    public string DnsIp => $"127.{Octet}.0.10";

    /// <summary>Spare addresses for a test's own listeners (127.X.200.1 – 127.X.200.254).</summary>
    public string Spare(int n) => n is >= 1 and <= 254 ? $"127.{Octet}.200.{n}" : throw new ArgumentOutOfRangeException(nameof(n));

    public static AddressBlock Claim()
    {
        Directory.CreateDirectory(_lockDir);
        var start = Random.Shared.Next(Count);
        for (var i = 0; i < Count; i++)
        {
            var octet = First + ((start + i) % Count);
            try
            {
                // FileShare.None takes flock(LOCK_EX | LOCK_NB) on Linux: held by another process → IOException.
                var held = new FileStream(Path.Combine(_lockDir, $"127.{octet}.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                if (HeldByARunningBerth(octet))
                {
                    held.Dispose();
                    continue;
                }

                return new AddressBlock(octet, held);
            }
            catch (IOException)
            {
            }
        }

        throw new InvalidOperationException($"all {Count} test address blocks under {_lockDir} are held by other processes");
    }

    public void Dispose() => _lock.Dispose();

    /// <summary>
    /// Whether a running Berth claims an address of the block in the machine-wide register (src/Berth/Claims): e.g. a
    /// berth process that outlived the test run which started it. A claim is live while its <c>.lock</c> is held.
    /// </summary>
    private static bool HeldByARunningBerth(int octet)
    {
        var register = Path.Combine(Path.GetTempPath(), "berth-claims");
        if (!Directory.Exists(register))
        {
            return false;
        }

        foreach (var json in Directory.EnumerateFiles(register, "*.json"))
        {
            try
            {
                using (new FileStream(Path.ChangeExtension(json, ".lock"), FileMode.Open, FileAccess.Read, FileShare.None))
                {
                    continue; // nobody holds it: a dead claim
                }
            }
            catch (FileNotFoundException)
            {
                continue;
            }
            catch (IOException)
            {
                // held: a live claim
            }

            try
            {
                if (File.ReadAllText(json).Contains($"127.{octet}.", StringComparison.Ordinal))
                {
                    return true;
                }
            }
            catch (IOException)
            {
            }
        }

        return false;
    }
}

using System.Net;
using BenchmarkDotNet.Attributes;
using Berth.Proxy.Balancing;
using Berth.Proxy.Model;
using Berth.Proxy.Observability;
using Berth.Proxy.Userspace;

namespace Berth.Benchmarks.Proxy;

/// <summary>
/// The proxy's per-connection decisions (issue 8): choosing an endpoint by policy, a session-affinity hit, a retry that
/// skips a failed endpoint, and the client key. Zero bytes allocated per operation is the target
/// (<c>dotnet run -c Release --project bench/Berth.Benchmarks -- --filter '*ProxyHotPath*'</c>).
/// </summary>
[MemoryDiagnoser]
public class ProxyHotPathBenchmarks
{
    private const int Endpoints = 10;

    private readonly IPAddress _client = IPAddress.Parse("127.244.3.17");
    private RoutingTable _roundRobin = null!;
    private RoutingTable _random = null!;
    private RoutingTable _leastConnections = null!;
    private RoutingTable _affinity = null!;
    private BackendEndpoint[] _failed = null!;
    private UInt128 _key;
    private long _now;

    [GlobalSetup]
    public void Setup()
    {
        var endpoints = Enumerable.Range(1, Endpoints).Select(i => new BackendEndpoint(IPAddress.Parse("127.244.0." + i), 8080)).ToArray();
        _roundRobin = new RoutingTable(Verdict.Forward, endpoints, new RoundRobinBalancer(), null);
        _random = new RoutingTable(Verdict.Forward, endpoints, new RandomBalancer(new Random(1)), null);
        _leastConnections = new RoutingTable(Verdict.Forward, endpoints, new LeastConnectionsBalancer(), null);
        var affinity = new SessionAffinityTable(TimeSpan.FromHours(3), TimeProvider.System.TimestampFrequency);
        _affinity = new RoutingTable(Verdict.Forward, endpoints, new RoundRobinBalancer(), affinity);
        _now = TimeProvider.System.GetTimestamp();
        _key = ClientKey.Of(_client);
        for (var i = 0; i < 1000; i++)
        {
            affinity.Set(ClientKey.Of(IPAddress.Parse("127.245." + (i / 250) + "." + (i % 250))), endpoints[i % Endpoints], _now);
        }

        affinity.Set(_key, endpoints[3], _now);
        _failed = [endpoints[0], endpoints[1]];
        endpoints[2].MarkFailed(long.MaxValue);
    }

    [Benchmark(Baseline = true)]
    public object? RoundRobin() => _roundRobin.Choose(_key, _now, [], out _);

    [Benchmark]
    public object? Random() => _random.Choose(_key, _now, [], out _);

    [Benchmark]
    public object? LeastConnections() => _leastConnections.Choose(_key, _now, [], out _);

    /// <summary>A known client within its affinity window (1,000 clients remembered).</summary>
    [Benchmark]
    public object? AffinityHit() => _affinity.Choose(_key, _now, [], out _);

    /// <summary>The third attempt of a connection: two endpoints tried, one marked failed.</summary>
    [Benchmark]
    public object? RetryAfterTwoFailures() => _roundRobin.Choose(_key, _now, _failed, out Decision _);

    [Benchmark]
    public UInt128 ClientKeyOfAddress() => ClientKey.Of(_client);
}

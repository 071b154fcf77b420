using System.Net;
using Berth.Proxy.Balancing;
using Berth.Proxy.Model;
using Berth.Proxy.Observability;
using Berth.Proxy.Userspace;

namespace Berth.Proxy.Tests.Balancing;

/// <summary>Endpoint choice for a new connection: affinity, then policy, avoiding endpoints that failed; a manual clock.</summary>
public sealed class RoutingTableTests
{
    private static readonly UInt128 _clientA = ClientKey.Of(IPAddress.Parse("127.1.0.1"));
    private static readonly UInt128 _clientB = ClientKey.Of(IPAddress.Parse("127.1.0.2"));
    private readonly ManualTimeProvider _time = new();

    [Fact]
    public void Choose_RoundRobin_TakesEachEndpointInTurn()
    {
        var endpoints = Endpoints(3);
        var table = Table(endpoints, new RoundRobinBalancer());

        var chosen = Enumerable.Range(0, 6).Select(i => table.Choose(_clientA, Now, [], out _)!.Name).ToList();

        Assert.Equal(["10.0.0.1:80", "10.0.0.2:80", "10.0.0.3:80", "10.0.0.1:80", "10.0.0.2:80", "10.0.0.3:80"], chosen);
    }

    [Fact]
    public void Choose_EndpointMarkedFailed_IsSkippedUntilTheHoldEnds()
    {
        var endpoints = Endpoints(3);
        var table = Table(endpoints, new RoundRobinBalancer());
        endpoints[1].MarkFailed(Now + Seconds(5));

        var during = Enumerable.Range(0, 4).Select(i => table.Choose(_clientA, Now, [], out _)!.Name).ToHashSet();
        _time.Advance(TimeSpan.FromSeconds(5));
        var after = Enumerable.Range(0, 3).Select(i => table.Choose(_clientA, Now, [], out _)!.Name).ToHashSet();

        Assert.DoesNotContain("10.0.0.2:80", during);
        Assert.Contains("10.0.0.2:80", after);
    }

    [Fact]
    public void Choose_EveryEndpointFailed_StillTriesOne()
    {
        var endpoints = Endpoints(2);
        var table = Table(endpoints, new RoundRobinBalancer());
        foreach (var e in endpoints)
        {
            e.MarkFailed(Now + Seconds(5));
        }

        var chosen = table.Choose(_clientA, Now, [], out var decision);

        Assert.NotNull(chosen);
        Assert.Equal(Decision.Policy, decision);
    }

    [Fact]
    public void Choose_AfterFailedAttempts_NeverRepeatsATriedEndpoint()
    {
        var endpoints = Endpoints(3);
        var table = Table(endpoints, new RoundRobinBalancer());

        var second = table.Choose(_clientA, Now, [endpoints[0]], out var decision);
        var third = table.Choose(_clientA, Now, [endpoints[0], second!], out _);
        var none = table.Choose(_clientA, Now, endpoints, out var last);

        Assert.Equal(Decision.Retry, decision);
        Assert.NotSame(endpoints[0], second);
        Assert.DoesNotContain(third, new[] { endpoints[0], second });
        Assert.Null(none);
        Assert.Equal(Decision.Refused, last);
    }

    [Fact]
    public void Choose_ClientIPAffinity_SticksWhileUsedAndExpiresAfterTheTimeout()
    {
        var endpoints = Endpoints(3);
        var affinity = new SessionAffinityTable(TimeSpan.FromSeconds(10), _time.TimestampFrequency);
        var table = Table(endpoints, new RoundRobinBalancer(), affinity);

        var first = table.Choose(_clientA, Now, [], out var firstDecision);
        var other = table.Choose(_clientB, Now, [], out _);
        _time.Advance(TimeSpan.FromSeconds(9));
        var again = table.Choose(_clientA, Now, [], out var againDecision);
        _time.Advance(TimeSpan.FromSeconds(9));
        var stillSliding = table.Choose(_clientA, Now, [], out _);
        _time.Advance(TimeSpan.FromSeconds(10));
        table.Choose(_clientA, Now, [], out var expiredDecision);

        Assert.Equal(Decision.Policy, firstDecision);
        Assert.NotSame(first, other);
        Assert.Same(first, again);
        Assert.Equal(Decision.AffinityHit, againDecision);
        Assert.Same(first, stillSliding);
        Assert.Equal(Decision.Policy, expiredDecision);
    }

    [Fact]
    public void Choose_AffinityEndpointLeftTheTable_ChoosesAgain()
    {
        var endpoints = Endpoints(3);
        var affinity = new SessionAffinityTable(TimeSpan.FromSeconds(10), _time.TimestampFrequency);
        var first = Table(endpoints, new RoundRobinBalancer(), affinity).Choose(_clientA, Now, [], out _)!;
        var without = Table([.. endpoints.Where(e => e != first)], new RoundRobinBalancer(), affinity);

        var next = without.Choose(_clientA, Now, [], out var decision);
        var sticky = without.Choose(_clientA, Now, [], out var stickyDecision);

        Assert.NotSame(first, next);
        Assert.Equal(Decision.Policy, decision);
        Assert.Same(next, sticky);
        Assert.Equal(Decision.AffinityHit, stickyDecision);
    }

    [Fact]
    public void Sweep_ForgetsIdleClientsOnly()
    {
        var endpoints = Endpoints(1);
        var affinity = new SessionAffinityTable(TimeSpan.FromSeconds(10), _time.TimestampFrequency);
        affinity.Set(_clientA, endpoints[0], Now);
        _time.Advance(TimeSpan.FromSeconds(6));
        affinity.Set(_clientB, endpoints[0], Now);
        _time.Advance(TimeSpan.FromSeconds(6));

        var removed = affinity.Sweep(Now);

        Assert.Equal(1, removed);
        Assert.False(affinity.TryGet(_clientA, Now, out _));
        Assert.True(affinity.TryGet(_clientB, Now, out _));
    }

    [Fact]
    public void Pick_LeastConnections_TakesTheLeastBusy()
    {
        var endpoints = Endpoints(3);
        endpoints[0].Opened();
        endpoints[0].Opened();
        endpoints[2].Opened();
        var table = Table(endpoints, new LeastConnectionsBalancer());

        var chosen = table.Choose(_clientA, Now, [], out _);
        chosen!.Opened();
        var next = table.Choose(_clientA, Now, [], out _);

        Assert.Same(endpoints[1], chosen);
        Assert.Contains(next, new[] { endpoints[1], endpoints[2] });
    }

    [Fact]
    public void Pick_Random_ReachesEveryEndpoint()
    {
        var endpoints = Endpoints(3);
        var table = Table(endpoints, new RandomBalancer(new Random(7)));

        var chosen = Enumerable.Range(0, 60).Select(i => table.Choose(_clientA, Now, [], out _)!.Name).ToHashSet();

        Assert.Equal(3, chosen.Count);
    }

    private long Now => _time.GetTimestamp();

    private long Seconds(int seconds) => seconds * _time.TimestampFrequency;

    private static BackendEndpoint[] Endpoints(int count) =>
        [.. Enumerable.Range(1, count).Select(i => new BackendEndpoint(IPAddress.Parse("10.0.0." + i), 80))];

    private static RoutingTable Table(BackendEndpoint[] endpoints, ILoadBalancer balancer, SessionAffinityTable? affinity = null) =>
        new(Verdict.Forward, endpoints, balancer, affinity);
}

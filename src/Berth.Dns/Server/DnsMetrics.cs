using System.Diagnostics;
using Berth.Dns.Forwarding;
using Berth.Dns.Wire;
using Berth.Dns.Zone;
using Prometheus;

namespace Berth.Dns.Server;

/// <summary>
/// Prometheus metrics of the DNS server, read from the workers' <see cref="QueryStats"/> when the registry is scraped
/// (a before-collect callback), so the query path itself touches no shared counter: responses by type and RCODE, a
/// latency histogram (per-bucket counts and sums added as they are: the histogram's sum is exact), answer renders
/// (misses of the rendered-answer cache), forward cache hits and misses, upstream failures, names in the zone.
/// </summary>
internal sealed class DnsMetrics
{
    private static readonly string[] _rcodes = ["NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED", "other"];

    private readonly Func<IEnumerable<QueryStats>> _stats;
    private readonly Func<ZoneIndex> _index;
    private readonly Func<QueryProcessor> _processor;
    private readonly Func<Forwarder> _forwarder;
    private readonly Counter _responses;
    private readonly Histogram _duration;
    private readonly Counter _renders;
    private readonly Counter _cacheHits;
    private readonly Counter _cacheMisses;
    private readonly Counter _upstreamFailures;
    private readonly Gauge _names;
    private readonly Dictionary<QueryStats, long[]> _exported = [];
    private readonly Lock _gate = new();

    public DnsMetrics(CollectorRegistry registry, Func<IEnumerable<QueryStats>> stats, Func<ZoneIndex> index, Func<QueryProcessor> processor, Func<Forwarder> forwarder)
    {
        _stats = stats;
        _index = index;
        _processor = processor;
        _forwarder = forwarder;
        var factory = Metrics.WithCustomRegistry(registry);
        _responses = factory.CreateCounter("berth_dns_responses_total", "DNS responses sent, by query type and response code.", "type", "rcode");
        _duration = factory.CreateHistogram("berth_dns_request_duration_seconds", "Time from receiving a query to sending its response.", new HistogramConfiguration { Buckets = QueryStats.Buckets });
        _renders = factory.CreateCounter("berth_dns_answer_renders_total", "Cluster-zone answers rendered to bytes (each is then reused until its name changes).");
        _cacheHits = factory.CreateCounter("berth_dns_forward_cache_hits_total", "Forwarded queries answered from the cache.");
        _cacheMisses = factory.CreateCounter("berth_dns_forward_cache_misses_total", "Forwarded queries sent upstream.");
        _upstreamFailures = factory.CreateCounter("berth_dns_upstream_failures_total", "Upstream queries that timed out, failed or answered SERVFAIL.");
        _names = factory.CreateGauge("berth_dns_zone_names", "Names in the cluster zone index.");
        registry.AddBeforeCollectCallback(Export);
    }

    private void Export()
    {
        lock (_gate)
        {
            var totals = new long[(QueryStats.Types.Length + 1) * QueryStats.Rcodes];
            foreach (var stats in _stats())
            {
                for (var i = 0; i < totals.Length; i++)
                {
                    totals[i] += Volatile.Read(ref stats.Responses[i]);
                }

                ExportLatency(stats);
            }

            for (var t = 0; t <= QueryStats.Types.Length; t++)
            {
                var type = t < QueryStats.Types.Length ? QueryStats.Types[t].ToString() : "other";
                for (var r = 0; r < QueryStats.Rcodes; r++)
                {
                    if (totals[(t * QueryStats.Rcodes) + r] is var count and > 0)
                    {
                        _responses.WithLabels(type, _rcodes[r]).IncTo(count);
                    }
                }
            }

            _renders.IncTo(_processor().Renders);
            var forwarder = _forwarder();
            _cacheHits.IncTo(forwarder.CacheHits);
            _cacheMisses.IncTo(forwarder.CacheMisses);
            _upstreamFailures.IncTo(forwarder.Failures);
            _names.Set(_index().Current?.Names.Count ?? 0);
        }
    }

    /// <summary>Adds what each bucket gained since the last scrape, at the bucket's mean latency.</summary>
    private void ExportLatency(QueryStats stats)
    {
        if (!_exported.TryGetValue(stats, out var last))
        {
            _exported[stats] = last = new long[stats.LatencyCounts.Length * 2];
        }

        for (var b = 0; b < stats.LatencyCounts.Length; b++)
        {
            var count = Volatile.Read(ref stats.LatencyCounts[b]);
            var ticks = Volatile.Read(ref stats.LatencyTicks[b]);
            var newCount = count - last[b];
            var newTicks = ticks - last[stats.LatencyCounts.Length + b];
            if (newCount > 0)
            {
                _duration.Observe((double)newTicks / newCount / Stopwatch.Frequency, newCount);
            }

            last[b] = count;
            last[stats.LatencyCounts.Length + b] = ticks;
        }
    }
}

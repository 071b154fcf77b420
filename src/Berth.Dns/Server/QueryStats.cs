using System.Diagnostics;
using Berth.Dns.Wire;

namespace Berth.Dns.Server;

/// <summary>
/// Counts of one worker (a UDP socket's thread, or the TCP side): responses by query type and RCODE, and a latency
/// histogram. Plain arrays written by one thread (TCP: under Interlocked) and read by the metrics exporter; a read may
/// lag a write, never tear it (64-bit loads are atomic on the 64-bit runtimes Berth runs on).
/// </summary>
internal sealed class QueryStats
{
    /// <summary>The types counted by name; every other type is counted as "other".</summary>
    public static readonly RecordType[] Types = [RecordType.A, RecordType.AAAA, RecordType.SRV, RecordType.PTR, RecordType.TXT, RecordType.CNAME, RecordType.SOA, RecordType.NS, RecordType.ANY];

    /// <summary>RCODEs 0–5 by name, then "other" (BADVERS, and anything else).</summary>
    public const int Rcodes = 7;

    /// <summary>Upper bounds of the latency buckets in seconds (the last bucket is +Inf): 10 µs … 1 s.</summary>
    public static readonly double[] Buckets = [0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

    private static readonly long[] _bucketTicks = [.. Buckets.Select(b => (long)(b * Stopwatch.Frequency))];

    private readonly bool _shared;

    public QueryStats(bool shared)
    {
        _shared = shared;
    }

    /// <summary>[type slot × <see cref="Rcodes"/> + rcode slot].</summary>
    public long[] Responses { get; } = new long[(Types.Length + 1) * Rcodes];

    public long[] LatencyCounts { get; } = new long[Buckets.Length + 1];

    /// <summary>Sum of the latencies of each bucket, in Stopwatch ticks.</summary>
    public long[] LatencyTicks { get; } = new long[Buckets.Length + 1];

    public static int TypeSlot(ushort type)
    {
        for (var i = 0; i < Types.Length; i++)
        {
            if ((ushort)Types[i] == type)
            {
                return i;
            }
        }

        return Types.Length;
    }

    /// <summary>Records one response: its type, its RCODE (from the response header) and the time since <paramref name="started"/>.</summary>
    public void Record(ushort type, int rcode, long started)
    {
        var elapsed = Stopwatch.GetTimestamp() - started;
        var bucket = 0;
        while (bucket < _bucketTicks.Length && elapsed > _bucketTicks[bucket])
        {
            bucket++;
        }

        var slot = (TypeSlot(type) * Rcodes) + Math.Min(rcode, Rcodes - 1);
        if (_shared)
        {
            Interlocked.Increment(ref Responses[slot]);
            Interlocked.Increment(ref LatencyCounts[bucket]);
            Interlocked.Add(ref LatencyTicks[bucket], elapsed);
        }
        else
        {
            Responses[slot]++;
            LatencyCounts[bucket]++;
            LatencyTicks[bucket] += elapsed;
        }
    }
}

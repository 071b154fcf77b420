using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Berth.Dns.Wire;
using Berth.Dns.Zone;
using Microsoft.Extensions.Logging;

namespace Berth.Dns.Forwarding;

/// <summary>
/// Resolves names outside the cluster zone through the upstream resolvers, in order, each with a timeout, over UDP and
/// over TCP when the upstream truncates (RFC 7766 §5), keeping responses in a bounded cache for their TTL (at most
/// <see cref="ForwarderOptions.MaxCacheTtl"/>). Each upstream query is our own (fresh ID, the client's question, our
/// EDNS size): an upstream never sees the client's ID and a client never sees the upstream's OPT record.
/// </summary>
internal sealed partial class Forwarder : IAsyncDisposable
{
    private const int MaxMessage = ushort.MaxValue;

    private readonly ForwarderOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, CachedResponse> _cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<ushort, Pending> _pending = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly List<Task> _loops = [];
    private Socket? _v4;
    private Socket? _v6;
    private volatile IPEndPoint[] _upstreams;
    private long _cacheHits;
    private long _cacheMisses;
    private long _failures;

    public Forwarder(ForwarderOptions options, ILogger logger)
    {
        _options = options;
        _logger = logger;
        _time = options.TimeProvider;
        _upstreams = [.. options.Upstreams];
    }

    public IReadOnlyList<IPEndPoint> Upstreams => _upstreams;

    public long CacheHits => Interlocked.Read(ref _cacheHits);

    public long CacheMisses => Interlocked.Read(ref _cacheMisses);

    /// <summary>Upstream queries that failed (timeout, refused connection, malformed answer, SERVFAIL).</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Never forwards to these (the server's own listeners): a query must not loop back to us.</summary>
    public void Exclude(IEnumerable<IPEndPoint> own)
    {
        var excluded = own.ToHashSet();
        var kept = _upstreams.Where(u => !excluded.Contains(u)).ToArray();
        if (kept.Length != _upstreams.Length)
        {
            Log.UpstreamExcluded(_logger, string.Join(", ", _upstreams.Except(kept)));
        }

        _upstreams = kept;
    }

    /// <summary>Answers <paramref name="message"/> (already parsed into <paramref name="query"/>) from the cache or upstream; SERVFAIL when no upstream answers.</summary>
    public async ValueTask<int> ForwardAsync(ReadOnlyMemory<byte> message, DnsQuery query, Memory<byte> response, int limit, ushort udpSize, CancellationToken cancellationToken)
    {
        var (answer, age) = await ResolveAsync(message, query, cancellationToken).ConfigureAwait(false);
        return answer is null
            ? ResponseWriter.WriteEmpty(message.Span, query, ResponseCode.ServFail, authoritative: false, truncated: false, response.Span, udpSize)
            : answer.Write(message.Span, query, response.Span, limit, udpSize, age);
    }

    /// <summary>
    /// Answers a query for an ExternalName Service whose target is outside the zone: our <paramref name="cname"/>,
    /// then the target's records of the queried type from upstream (CoreDNS does the same). When the target cannot be
    /// resolved the CNAME stands alone; the RCODE is the target's (RFC 6604 §2.1).
    /// </summary>
    public async ValueTask<int> ChaseAsync(ReadOnlyMemory<byte> message, DnsQuery query, ResourceRecord? cname, Memory<byte> response, int limit, ushort udpSize, CancellationToken cancellationToken)
    {
        if (cname is null)
        {
            return ResponseWriter.WriteEmpty(message.Span, query, ResponseCode.ServFail, authoritative: false, truncated: false, response.Span, udpSize);
        }

        var target = ((NameData)cname.Data).Target;
        var probe = TargetQuery(target, query);
        QueryParser.Parse(probe, out var probeQuery);
        var (answer, _) = await ResolveAsync(probe, probeQuery, cancellationToken).ConfigureAwait(false);
        var records = answer is null ? null : AnswerReader.Answers(answer.Bytes.Span);
        var rcode = answer is not null && records is not null ? answer.Rcode : ResponseCode.NoError;
        var zoneAnswer = new ZoneAnswer(rcode, [cname, .. records ?? []], [], []);
        return ResponseWriter.WriteAnswer(message.Span, query, AnswerRenderer.Render(cname.Name, zoneAnswer), response.Span, limit, udpSize);
    }

    /// <summary>The cached or fresh upstream response to <paramref name="query"/> and its age in seconds; null when no upstream answered.</summary>
    private async ValueTask<(CachedResponse? Answer, uint Age)> ResolveAsync(ReadOnlyMemory<byte> message, DnsQuery query, CancellationToken cancellationToken)
    {
        var key = CacheKey(message.Span, query);
        if (_cache.TryGetValue(key, out var cached) && Age(cached) is { } age)
        {
            Interlocked.Increment(ref _cacheHits);
            return (cached, age);
        }

        Interlocked.Increment(ref _cacheMisses);
        foreach (var upstream in _upstreams)
        {
            var answer = await AskAsync(upstream, message, query, cancellationToken).ConfigureAwait(false);
            if (answer is null)
            {
                Interlocked.Increment(ref _failures);
                continue;
            }

            if (answer.Rcode is ResponseCode.NoError or ResponseCode.NxDomain && answer.Ttl > 0)
            {
                Store(key, answer);
            }

            if (answer.Rcode == ResponseCode.ServFail)
            {
                Interlocked.Increment(ref _failures);
            }

            return (answer, 0);
        }

        return (null, 0);
    }

    /// <summary>A query of our own for <paramref name="target"/>, with the client's type, CD bit and DO bit.</summary>
    private static byte[] TargetQuery(string target, in DnsQuery query)
    {
        var name = DnsName.Encode(target);
        var bytes = new byte[12 + name.Length + 4];
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(2), (ushort)(0x0100 | (query.Flags & 0x0010)));
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(4), 1);
        name.CopyTo(bytes, 12);
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(12 + name.Length), query.Type);
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(14 + name.Length), 1);
        return bytes;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _v4?.Dispose();
        _v6?.Dispose();
        try
        {
            await Task.WhenAll(_loops).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private static string CacheKey(ReadOnlySpan<byte> message, in DnsQuery query)
    {
        Span<char> name = stackalloc char[DnsName.MaxTextLength + 1];
        var length = DnsName.ToLowerText(message[DnsQuery.QuestionOffset..], name);
        return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{name[..length]}/{query.Type}/{query.Class}{(query.DnssecOk ? "/do" : "")}");
    }

    private uint? Age(CachedResponse cached)
    {
        var age = _time.GetElapsedTime(cached.StoredAt).TotalSeconds;
        return age < cached.Ttl ? (uint)age : null;
    }

    private void Store(string key, CachedResponse response)
    {
        if (_cache.Count >= _options.CacheSize)
        {
            foreach (var (k, v) in _cache)
            {
                if (Age(v) is null)
                {
                    _cache.TryRemove(k, out _);
                }
            }

            if (_cache.Count >= _options.CacheSize)
            {
                foreach (var (k, _) in _cache.OrderBy(e => e.Value.StoredAt).Take(_cache.Count / 2).ToList())
                {
                    _cache.TryRemove(k, out _);
                }
            }
        }

        _cache[key] = response;
    }

    private sealed record Pending(IPEndPoint Upstream, TaskCompletionSource<byte[]> Answer);

    private static partial class Log
    {
        [LoggerMessage(EventId = 5140, Level = LogLevel.Warning, Message = "Upstream resolver {Upstream} did not answer within {Timeout}")]
        public static partial void UpstreamTimedOut(ILogger logger, string upstream, TimeSpan timeout);

        [LoggerMessage(EventId = 5141, Level = LogLevel.Warning, Message = "Upstream resolver {Upstream} failed: {Error}")]
        public static partial void UpstreamFailed(ILogger logger, string upstream, string error);

        [LoggerMessage(EventId = 5142, Level = LogLevel.Warning, Message = "Not forwarding to {Upstreams}: that is this DNS server itself (a query would loop)")]
        public static partial void UpstreamExcluded(ILogger logger, string upstreams);
    }
}

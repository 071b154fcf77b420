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

    private async Task<CachedResponse?> AskAsync(IPEndPoint upstream, ReadOnlyMemory<byte> message, DnsQuery query, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stop.Token);
        timeout.CancelAfter(_options.Timeout);
        try
        {
            var bytes = await AskUdpAsync(upstream, message, query, timeout.Token).ConfigureAwait(false);
            if (bytes is not null && (bytes[2] & 0x02) != 0)
            {
                bytes = await AskTcpAsync(upstream, message, query, timeout.Token).ConfigureAwait(false);
            }

            return bytes is null ? null : CachedResponse.From(bytes, (uint)_options.MaxCacheTtl.TotalSeconds, _time.GetTimestamp());
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Log.UpstreamTimedOut(_logger, upstream.ToString(), _options.Timeout);
            return null;
        }
        catch (SocketException e)
        {
            Log.UpstreamFailed(_logger, upstream.ToString(), e.SocketErrorCode.ToString());
            return null;
        }
    }

    /// <summary>Our query for the client's question: a new ID, RD set, CD as the client sent it, an OPT record of our size.</summary>
    private static byte[] UpstreamQuery(ReadOnlySpan<byte> message, in DnsQuery query, ushort id)
    {
        var question = message[DnsQuery.QuestionOffset..query.QuestionEnd];
        var bytes = new byte[12 + question.Length + ResponseWriter.OptLength];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, id);
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(2), (ushort)(0x0100 | (query.Flags & 0x0010)));
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(4), 1);
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(10), 1);
        question.CopyTo(bytes.AsSpan(12));
        var opt = bytes.AsSpan(12 + question.Length);
        BinaryPrimitives.WriteUInt16BigEndian(opt[1..], (ushort)RecordType.OPT);
        BinaryPrimitives.WriteUInt16BigEndian(opt[3..], 1232);
        opt[7] = query.DnssecOk ? (byte)0x80 : (byte)0;
        return bytes;
    }

    private async Task<byte[]?> AskUdpAsync(IPEndPoint upstream, ReadOnlyMemory<byte> message, DnsQuery query, CancellationToken cancellationToken)
    {
        var socket = SocketFor(upstream.AddressFamily);
        var pending = new Pending(upstream, new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously));
        ushort id;
        do
        {
            id = (ushort)Random.Shared.Next(ushort.MaxValue + 1);
        }
        while (!_pending.TryAdd(id, pending));

        try
        {
            await socket.SendToAsync(UpstreamQuery(message.Span, query, id), SocketFlags.None, upstream, cancellationToken).ConfigureAwait(false);
            var answer = await pending.Answer.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            return SameQuestion(answer, message.Span, query) ? answer : null;
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    private static async Task<byte[]?> AskTcpAsync(IPEndPoint upstream, ReadOnlyMemory<byte> message, DnsQuery query, CancellationToken cancellationToken)
    {
        using var socket = new Socket(upstream.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(upstream, cancellationToken).ConfigureAwait(false);
        var id = (ushort)Random.Shared.Next(ushort.MaxValue + 1);
        var body = UpstreamQuery(message.Span, query, id);
        var framed = new byte[body.Length + 2];
        BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)body.Length);
        body.CopyTo(framed, 2);
        await socket.SendAsync(framed, SocketFlags.None, cancellationToken).ConfigureAwait(false);
        var prefix = new byte[2];
        await ReceiveExactlyAsync(socket, prefix, cancellationToken).ConfigureAwait(false);
        var answer = new byte[BinaryPrimitives.ReadUInt16BigEndian(prefix)];
        await ReceiveExactlyAsync(socket, answer, cancellationToken).ConfigureAwait(false);
        return answer.Length >= 12 && BinaryPrimitives.ReadUInt16BigEndian(answer) == id && SameQuestion(answer, message.Span, query) ? answer : null;
    }

    private static async Task ReceiveExactlyAsync(Socket socket, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (buffer.Length > 0)
        {
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new SocketException((int)SocketError.ConnectionReset);
            }

            buffer = buffer[read..];
        }
    }

    /// <summary>The answer is a response to exactly our question (letter case aside).</summary>
    private static bool SameQuestion(byte[] answer, ReadOnlySpan<byte> message, in DnsQuery query)
    {
        var question = message[DnsQuery.QuestionOffset..query.QuestionEnd];
        return answer.Length >= 12 + question.Length && (answer[2] & 0x80) != 0 && BinaryPrimitives.ReadUInt16BigEndian(answer.AsSpan(4)) == 1
            && Ascii.EqualsIgnoreCase(answer.AsSpan(12, question.Length), question);
    }

    private Socket SocketFor(AddressFamily family)
    {
        lock (_gate)
        {
            ref var socket = ref family == AddressFamily.InterNetwork ? ref _v4 : ref _v6;
            if (socket is null)
            {
                socket = new Socket(family, SocketType.Dgram, ProtocolType.Udp);
                socket.Bind(new IPEndPoint(family == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0));
                var bound = socket;
                _loops.Add(Task.Run(() => ReceiveLoopAsync(bound), CancellationToken.None));
            }

            return socket;
        }
    }

    private async Task ReceiveLoopAsync(Socket socket)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(MaxMessage);
        var from = new SocketAddress(socket.AddressFamily);
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                int read;
                try
                {
                    read = await socket.ReceiveFromAsync(buffer, SocketFlags.None, from, _stop.Token).ConfigureAwait(false);
                }
                catch (SocketException)
                {
                    // ICMP port unreachable from a dead upstream surfaces here on Linux; the asker times out.
                    continue;
                }

                if (read >= 12 && _pending.TryGetValue(BinaryPrimitives.ReadUInt16BigEndian(buffer), out var pending)
                    && pending.Upstream.Equals(pending.Upstream.Create(from)))
                {
                    pending.Answer.TrySetResult(buffer.AsSpan(0, read).ToArray());
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
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

using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Berth.Dns.Wire;

namespace Berth.Dns.Forwarding;

/// <summary>Talking to one upstream: our query over UDP (one shared socket per address family, answers matched by ID and source), TCP when truncated.</summary>
internal sealed partial class Forwarder
{
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
}

using System.Threading.Channels;

namespace Berth.Node.Streams.Spdy;

/// <summary>
/// One stream the peer opened on a <see cref="SpdySession"/>: its SYN_STREAM headers, the bytes the peer sends
/// (until its FIN or a reset) and a way to send bytes back.
/// </summary>
internal sealed class SpdyStream
{
    private readonly SpdyFrameWriter _writer;
    private readonly Channel<ReadOnlyMemory<byte>> _inbound = Channel.CreateBounded<ReadOnlyMemory<byte>>(
        new BoundedChannelOptions(256) { SingleReader = true, SingleWriter = true });

    private readonly CancellationTokenSource _reset = new();
    private ReadOnlyMemory<byte> _current;
    private int _localClosed;

    public SpdyStream(SpdySynStreamFrame syn, SpdyFrameWriter writer)
    {
        Id = syn.StreamId;
        Headers = syn.Headers;
        _writer = writer;
        if (syn.Fin)
        {
            _inbound.Writer.TryComplete();
        }
    }

    public uint Id { get; }

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    /// <summary>Cancelled when the peer resets the stream or the session ends.</summary>
    public CancellationToken Aborted => _reset.Token;

    public string? Header(string name) => Headers.FirstOrDefault(h => h.Key == name).Value;

    /// <summary>Reads what the peer sent; 0 once it half-closed (FIN). Throws when the stream was reset.</summary>
    public async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (_current.IsEmpty)
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _reset.Token);
            if (!await _inbound.Reader.WaitToReadAsync(linked.Token).ConfigureAwait(false))
            {
                return 0;
            }

            _inbound.Reader.TryRead(out _current);
        }

        var n = Math.Min(buffer.Length, _current.Length);
        _current[..n].CopyTo(buffer);
        _current = _current[n..];
        return n;
    }

    public Task ReplyAsync(CancellationToken cancellationToken) => _writer.WriteSynReplyAsync(Id, fin: false, [], cancellationToken);

    public Task WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        Volatile.Read(ref _localClosed) != 0 || data.IsEmpty ? Task.CompletedTask : _writer.WriteDataAsync(Id, data, fin: false, cancellationToken);

    /// <summary>Half-closes this side (an empty DATA frame with FIN); later calls do nothing.</summary>
    public Task CloseAsync(CancellationToken cancellationToken) =>
        Interlocked.Exchange(ref _localClosed, 1) != 0 ? Task.CompletedTask : _writer.WriteDataAsync(Id, ReadOnlyMemory<byte>.Empty, fin: true, cancellationToken);

    /// <summary>Aborts the stream (RST_STREAM CANCEL).</summary>
    public Task ResetAsync(CancellationToken cancellationToken)
    {
        Abort();
        return Interlocked.Exchange(ref _localClosed, 1) != 0 ? Task.CompletedTask : _writer.WriteRstStreamAsync(Id, SpdyFlags.RstCancel, cancellationToken);
    }

    internal ValueTask DeliverAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        data.IsEmpty ? ValueTask.CompletedTask : _inbound.Writer.WriteAsync(data, cancellationToken);

    internal void RemoteClosed() => _inbound.Writer.TryComplete();

    internal void Abort()
    {
        _inbound.Writer.TryComplete();
        Interlocked.Exchange(ref _localClosed, 1);
        try
        {
            _reset.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }
}

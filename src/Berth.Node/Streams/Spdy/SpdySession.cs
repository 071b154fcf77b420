using System.Collections.Concurrent;

namespace Berth.Node.Streams.Spdy;

/// <summary>
/// The server side of a SPDY/3.1 connection (as the kubelet runs it for port-forward): the peer opens streams,
/// this side replies and exchanges data on them. Pings from the peer are echoed; SETTINGS and WINDOW_UPDATE are
/// ignored (spdystream, kubectl's implementation, has no flow control).
/// </summary>
internal sealed class SpdySession : IDisposable
{
    private readonly SpdyFrameReader _reader;
    private readonly ConcurrentDictionary<uint, SpdyStream> _streams = new();

    public SpdySession(Stream transport)
    {
        _reader = new SpdyFrameReader(transport);
        Writer = new SpdyFrameWriter(transport);
    }

    public SpdyFrameWriter Writer { get; }

    /// <summary>
    /// Reads frames until the peer ends the connection or sends GOAWAY, awaiting <paramref name="onStream"/> (which
    /// replies and hands the stream on, never blocking for long) for each new stream. Every stream is aborted when this
    /// returns.
    /// </summary>
    public async Task RunAsync(Func<SpdyStream, Task> onStream, CancellationToken cancellationToken)
    {
        try
        {
            while (await _reader.ReadAsync(cancellationToken).ConfigureAwait(false) is { } frame)
            {
                switch (frame)
                {
                    case SpdySynStreamFrame syn:
                        var stream = new SpdyStream(syn, Writer);
                        if (!_streams.TryAdd(syn.StreamId, stream))
                        {
                            await Writer.WriteRstStreamAsync(syn.StreamId, SpdyFlags.RstProtocolError, cancellationToken).ConfigureAwait(false);
                            continue;
                        }

                        await onStream(stream).ConfigureAwait(false);
                        break;
                    case SpdyDataFrame data:
                        if (_streams.TryGetValue(data.StreamId, out var target))
                        {
                            await target.DeliverAsync(data.Data, cancellationToken).ConfigureAwait(false);
                            if (data.Fin)
                            {
                                target.RemoteClosed();
                            }
                        }

                        break;
                    case SpdyRstStreamFrame rst:
                        if (_streams.TryRemove(rst.StreamId, out var reset))
                        {
                            reset.Abort();
                        }

                        break;
                    case SpdyPingFrame ping:
                        await Writer.WritePingAsync(ping.Id, cancellationToken).ConfigureAwait(false);
                        break;
                    case SpdyGoAwayFrame:
                        return;
                    default:
                        break;
                }
            }
        }
        finally
        {
            foreach (var stream in _streams.Values)
            {
                stream.Abort();
            }

            _streams.Clear();
        }
    }

    /// <summary>Forgets a stream both sides are done with.</summary>
    public void Remove(uint streamId) => _streams.TryRemove(streamId, out _);

    public void Dispose() => Writer.Dispose();
}

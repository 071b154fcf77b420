namespace Berth.Node.Streams;

/// <summary>
/// The client side of a WebSocket connection, read so that every data frame arrives as a whole message of its own:
/// each frame's first header byte is rewritten to FIN, and a continuation frame to the opcode of the frame it
/// continues. Nothing else changes (lengths, masking keys and payloads pass as they are); writes pass through.
/// </summary>
/// <remarks>
/// The kubelet reads exec streams with golang.org/x/net/websocket (apimachinery util/wsstream, conn.go), whose
/// <c>Message.Receive</c> returns one frame at a time, continuation or not, and wsstream reads the channel from the
/// first byte of each. The C# client relies on it: its StreamDemuxer writes stdin in 15 MiB frames, each starting with
/// the channel byte, all sent with <c>endOfMessage: false</c>. .NET's WebSocket joins frames into messages and does
/// not show where a frame ends, so the frames are made messages below it.
/// </remarks>
internal sealed class FrameSplittingStream : Stream
{
    private const byte Fin = 0x80;
    private const byte OpcodeMask = 0x0F;
    private const byte Continuation = 0x0;

    private readonly Stream _inner;

    // Where the reader stands in the frame: header bytes still wanted (first byte, second byte, extended length,
    // masking key), then the payload bytes left.
    private int _headerByte;
    private int _extendedLengthBytes;
    private bool _masked;
    private ulong _length;
    private ulong _payloadLeft;
    private byte _messageOpcode = 0x2;

    public FrameSplittingStream(Stream inner)
    {
        _inner = inner;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Rewrite(buffer.Span[..n]);
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count)
    {
        var n = _inner.Read(buffer, offset, count);
        Rewrite(buffer.AsSpan(offset, n));
        return n;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        _inner.WriteAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _inner.WriteAsync(buffer, offset, count, cancellationToken);

    public override void Write(byte[] buffer, int offset, int count) => _inner.Write(buffer, offset, count);

    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

    public override void Flush() => _inner.Flush();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override ValueTask DisposeAsync() => _inner.DisposeAsync();

    /// <summary>Walks the bytes just read through the frame layout (RFC 6455 §5.2), rewriting each frame's first byte.</summary>
    private void Rewrite(Span<byte> data)
    {
        var i = 0;
        while (i < data.Length)
        {
            if (_payloadLeft > 0)
            {
                var skip = (int)Math.Min(_payloadLeft, (ulong)(data.Length - i));
                i += skip;
                _payloadLeft -= (ulong)skip;
                continue;
            }

            var b = data[i++];
            switch (_headerByte)
            {
                case 0:
                    var opcode = (byte)(b & OpcodeMask);
                    if (opcode < 0x8)
                    {
                        // Data frames only: control frames (close, ping, pong) are always whole already.
                        if (opcode == Continuation)
                        {
                            opcode = _messageOpcode;
                        }
                        else
                        {
                            _messageOpcode = opcode;
                        }

                        data[i - 1] = (byte)((b & 0x70) | Fin | opcode);
                    }

                    _headerByte = 1;
                    break;
                case 1:
                    _masked = (b & 0x80) != 0;
                    _length = (ulong)(b & 0x7F);
                    _extendedLengthBytes = _length switch { 126 => 2, 127 => 8, _ => 0 };
                    if (_extendedLengthBytes > 0)
                    {
                        _length = 0;
                    }

                    _headerByte = 2;
                    EndHeaderIfComplete();
                    break;
                default:
                    var extended = _headerByte - 2;
                    if (extended < _extendedLengthBytes)
                    {
                        _length = (_length << 8) | b;
                    }

                    _headerByte++;
                    EndHeaderIfComplete();
                    break;
            }
        }
    }

    private void EndHeaderIfComplete()
    {
        if (_headerByte == 2 + _extendedLengthBytes + (_masked ? 4 : 0))
        {
            _headerByte = 0;
            _payloadLeft = _length;
        }
    }
}

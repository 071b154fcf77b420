using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Berth.Node.Streams.Spdy;

/// <summary>
/// Compresses the header blocks this side sends: one zlib stream per direction, sync-flushed after each block so the
/// peer can inflate a frame on its own. No preset dictionary: a zlib stream that names none is valid SPDY/3 (the
/// dictionary only helps the ratio), and Go's zlib reader accepts it (kubectl-wire.md §8).
/// </summary>
internal sealed class SpdyHeaderEncoder : IDisposable
{
    private readonly MemoryStream _output = new();
    private readonly ZLibStream _zlib;

    public SpdyHeaderEncoder()
    {
        _zlib = new ZLibStream(_output, CompressionLevel.Fastest, leaveOpen: true);
    }

    public byte[] Encode(IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        _zlib.Write(Serialize(headers));
        _zlib.Flush(); // Z_SYNC_FLUSH
        var bytes = _output.ToArray();
        _output.SetLength(0);
        return bytes;
    }

    /// <summary>The uncompressed block: u32 count, then count × (u32 length, name, u32 length, value).</summary>
    public static byte[] Serialize(IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        var block = new MemoryStream();
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(length, (uint)headers.Count);
        block.Write(length);
        foreach (var (name, value) in headers)
        {
            foreach (var s in (ReadOnlySpan<string>)[name.ToLowerInvariant(), value])
            {
                var bytes = Encoding.UTF8.GetBytes(s);
                BinaryPrimitives.WriteUInt32BigEndian(length, (uint)bytes.Length);
                block.Write(length);
                block.Write(bytes);
            }
        }

        return block.ToArray();
    }

    public void Dispose()
    {
        _zlib.Dispose();
        _output.Dispose();
    }
}

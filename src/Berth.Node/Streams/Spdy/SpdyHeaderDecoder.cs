using System.Buffers.Binary;
using System.Text;
using ICSharpCode.SharpZipLib;
using ICSharpCode.SharpZipLib.Zip.Compression;

namespace Berth.Node.Streams.Spdy;

/// <summary>
/// Inflates the header blocks one peer sends: a single zlib stream per direction, primed with the SPDY/3 dictionary,
/// each block ending at a sync flush. System.IO.Compression has no preset-dictionary API, hence SharpZipLib.
/// </summary>
internal sealed class SpdyHeaderDecoder
{
    /// <summary>Header blocks are small; a block that inflates beyond this is refused (a zip bomb guard).</summary>
    public const int MaxBlockBytes = 1024 * 1024;

    private readonly Inflater _inflater = new(noHeader: false);
    private readonly byte[] _buffer = new byte[16 * 1024];

    public IReadOnlyList<KeyValuePair<string, string>> Decode(ReadOnlySpan<byte> compressed)
    {
        var plain = new MemoryStream();
        try
        {
            _inflater.SetInput(compressed.ToArray());
            while (true)
            {
                var n = _inflater.Inflate(_buffer);
                if (n > 0)
                {
                    plain.Write(_buffer, 0, n);
                    if (plain.Length > MaxBlockBytes)
                    {
                        throw new SpdyProtocolException("a SPDY header block inflates to more than 1 MiB");
                    }

                    continue;
                }

                if (_inflater.IsNeedingDictionary)
                {
                    _inflater.SetDictionary(SpdyDictionary.Bytes.ToArray());
                    continue;
                }

                break; // needs input: the block (which ends at a sync flush) is fully inflated
            }
        }
        catch (SharpZipBaseException e)
        {
            throw new SpdyProtocolException("invalid compressed SPDY header block: " + e.Message, e);
        }

        return Parse(plain.GetBuffer().AsSpan(0, (int)plain.Length));
    }

    /// <summary>Parses an inflated block: u32 count, then count × (u32 length, name, u32 length, value).</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Parse(ReadOnlySpan<byte> block)
    {
        var reader = new BlockReader(block);
        var count = reader.ReadLength();
        var headers = new List<KeyValuePair<string, string>>(Math.Min(count, 64));
        for (var i = 0; i < count; i++)
        {
            var name = reader.ReadString();
            var value = reader.ReadString();
            if (name.Length == 0)
            {
                throw new SpdyProtocolException("a SPDY header has an empty name");
            }

            headers.Add(new(name, value));
        }

        return headers;
    }

    private ref struct BlockReader(ReadOnlySpan<byte> block)
    {
        private ReadOnlySpan<byte> _rest = block;

        public int ReadLength()
        {
            if (_rest.Length < 4)
            {
                throw new SpdyProtocolException("a SPDY header block is truncated");
            }

            var n = BinaryPrimitives.ReadUInt32BigEndian(_rest);
            _rest = _rest[4..];
            return n > (uint)_rest.Length ? throw new SpdyProtocolException("a SPDY header block length is out of range") : (int)n;
        }

        public string ReadString()
        {
            var n = ReadLength();
            var s = Encoding.UTF8.GetString(_rest[..n]);
            _rest = _rest[n..];
            return s;
        }
    }
}

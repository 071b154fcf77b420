using System.Buffers.Binary;
using Berth.Node.Streams.Spdy;
using ICSharpCode.SharpZipLib.Zip.Compression;

namespace Berth.Node.Tests.Streams;

public sealed class SpdyFramingTests
{
    private static readonly KeyValuePair<string, string>[] _errorStream = [new("streamtype", "error"), new("port", "80"), new("requestid", "0")];
    private static readonly KeyValuePair<string, string>[] _dataStream = [new("streamtype", "data"), new("port", "80"), new("requestid", "0")];

    /// <summary>Compresses header blocks as kubectl (Go's spdy framer) does: one zlib stream with the SPDY/3 dictionary, sync-flushed per block.</summary>
    private sealed class GoStyleEncoder
    {
        private readonly Deflater _deflater = new(Deflater.BEST_COMPRESSION);

        public GoStyleEncoder() => _deflater.SetDictionary(SpdyDictionary.Bytes.ToArray());

        public byte[] Encode(IReadOnlyList<KeyValuePair<string, string>> headers)
        {
            _deflater.SetInput(SpdyHeaderEncoder.Serialize(headers));
            _deflater.Flush();
            var output = new MemoryStream();
            var buffer = new byte[4096];
            int n;
            while ((n = _deflater.Deflate(buffer)) > 0)
            {
                output.Write(buffer, 0, n);
            }

            return output.ToArray();
        }
    }

    [Fact]
    public void Dictionary_IsTheSpdy3Constant()
    {
        var dictionary = SpdyDictionary.Bytes.ToArray();

        Assert.Equal(1423, dictionary.Length);
        Assert.Equal(3821447106u, Adler32(dictionary));
    }

    [Fact]
    public void Decode_BlocksCompressedWithTheDictionary_RoundTripInOneStream()
    {
        var encoder = new GoStyleEncoder();
        var decoder = new SpdyHeaderDecoder();

        var first = decoder.Decode(encoder.Encode(_errorStream));
        var second = decoder.Decode(encoder.Encode(_dataStream));

        Assert.Equal(_errorStream, first);
        Assert.Equal(_dataStream, second);
    }

    [Fact]
    public void Encode_OwnBlocks_DecodeInOneStream()
    {
        using var encoder = new SpdyHeaderEncoder();
        var decoder = new SpdyHeaderDecoder();

        var empty = decoder.Decode(encoder.Encode([]));
        var some = decoder.Decode(encoder.Encode([new("X-Stream-Protocol-Version", "portforward.k8s.io")]));

        Assert.Empty(empty);
        Assert.Equal([new KeyValuePair<string, string>("x-stream-protocol-version", "portforward.k8s.io")], some);
    }

    [Fact]
    public async Task Read_SynStreamDataPingAndRst_AsKubectlSendsThem()
    {
        var encoder = new GoStyleEncoder();
        var block = encoder.Encode(_errorStream);
        var syn = new byte[8 + 10 + block.Length];
        SpdyFrameWriter.WriteControlHeader(syn, SpdyFrameTypes.SynStream, 0, 10 + block.Length);
        BinaryPrimitives.WriteUInt32BigEndian(syn.AsSpan(8), 1);
        syn[16] = 2 << 5;
        block.CopyTo(syn, 18);
        var ping = new byte[12];
        SpdyFrameWriter.WriteControlHeader(ping, SpdyFrameTypes.Ping, 0, 4);
        BinaryPrimitives.WriteUInt32BigEndian(ping.AsSpan(8), 7);
        var rst = new byte[16];
        SpdyFrameWriter.WriteControlHeader(rst, SpdyFrameTypes.RstStream, 0, 8);
        BinaryPrimitives.WriteUInt32BigEndian(rst.AsSpan(8), 3);
        BinaryPrimitives.WriteUInt32BigEndian(rst.AsSpan(12), 5);
        var settings = new byte[12];
        SpdyFrameWriter.WriteControlHeader(settings, SpdyFrameTypes.Settings, 0, 4);
        var reader = new SpdyFrameReader(new MemoryStream([.. syn, .. SpdyFrameWriter.DataFrame(1, [], fin: true), .. SpdyFrameWriter.DataFrame(3, "abc"u8, fin: false), .. ping, .. rst, .. settings]));

        var synFrame = Assert.IsType<SpdySynStreamFrame>(await reader.ReadAsync(CancellationToken.None));
        var fin = Assert.IsType<SpdyDataFrame>(await reader.ReadAsync(CancellationToken.None));
        var data = Assert.IsType<SpdyDataFrame>(await reader.ReadAsync(CancellationToken.None));
        var pingFrame = Assert.IsType<SpdyPingFrame>(await reader.ReadAsync(CancellationToken.None));
        var rstFrame = Assert.IsType<SpdyRstStreamFrame>(await reader.ReadAsync(CancellationToken.None));
        var other = Assert.IsType<SpdyOtherControlFrame>(await reader.ReadAsync(CancellationToken.None));
        var end = await reader.ReadAsync(CancellationToken.None);

        Assert.Equal(1u, synFrame.StreamId);
        Assert.Equal(2, synFrame.Priority);
        Assert.Equal("error", synFrame.Header("streamtype"));
        Assert.True(fin.Fin);
        Assert.Equal(0, fin.Data.Length);
        Assert.Equal("abc"u8.ToArray(), data.Data.ToArray());
        Assert.False(data.Fin);
        Assert.Equal(7u, pingFrame.Id);
        Assert.Equal(new SpdyRstStreamFrame(3, 5), rstFrame);
        Assert.Equal(SpdyFrameTypes.Settings, other.Type);
        Assert.Null(end);
    }

    [Fact]
    public async Task Read_TruncatedHeader_Throws()
    {
        var reader = new SpdyFrameReader(new MemoryStream([0x80, 0x03, 0x00]));

        await Assert.ThrowsAsync<SpdyProtocolException>(async () => await reader.ReadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Read_TruncatedPayload_Throws()
    {
        var frame = SpdyFrameWriter.DataFrame(1, "hello"u8, fin: false);
        var reader = new SpdyFrameReader(new MemoryStream(frame[..^2]));

        await Assert.ThrowsAsync<EndOfStreamException>(async () => await reader.ReadAsync(CancellationToken.None));
    }

    [Fact]
    public void Parse_WrongVersionOrShortControlFrame_Throws()
    {
        var v2 = new byte[8];
        SpdyFrameWriter.WriteControlHeader(v2, SpdyFrameTypes.Ping, 0, 4);
        v2[1] = 2;
        var shortPing = new byte[8];
        SpdyFrameWriter.WriteControlHeader(shortPing, SpdyFrameTypes.Ping, 0, 2);

        Assert.Throws<SpdyProtocolException>(() => SpdyFrameReader.Parse(v2, 0, new byte[4], new SpdyHeaderDecoder()));
        Assert.Throws<SpdyProtocolException>(() => SpdyFrameReader.Parse(shortPing, 0, new byte[2], new SpdyHeaderDecoder()));
    }

    [Fact]
    public void Parse_HeaderBlockLengthsOutOfRange_Throw()
    {
        byte[] lying = [0, 0, 0, 1, 0, 0, 0, 200, (byte)'a'];

        Assert.Throws<SpdyProtocolException>(() => SpdyHeaderDecoder.Parse(lying));
        Assert.Throws<SpdyProtocolException>(() => SpdyHeaderDecoder.Parse([0, 0]));
        Assert.Throws<SpdyProtocolException>(() => new SpdyHeaderDecoder().Decode([1, 2, 3, 4, 5]));
    }

    [Fact]
    public async Task Writer_SplitsLargeDataIntoFramesWithFinOnTheLast()
    {
        var output = new MemoryStream();
        using var writer = new SpdyFrameWriter(output);

        await writer.WriteDataAsync(5, new byte[SpdyFrameWriter.MaxDataPayload + 10], fin: true, CancellationToken.None);
        output.Position = 0;
        var reader = new SpdyFrameReader(output);
        var first = Assert.IsType<SpdyDataFrame>(await reader.ReadAsync(CancellationToken.None));
        var second = Assert.IsType<SpdyDataFrame>(await reader.ReadAsync(CancellationToken.None));

        Assert.Equal(SpdyFrameWriter.MaxDataPayload, first.Data.Length);
        Assert.False(first.Fin);
        Assert.Equal(10, second.Data.Length);
        Assert.True(second.Fin);
    }

    private static uint Adler32(byte[] data)
    {
        uint a = 1, b = 0;
        foreach (var x in data)
        {
            a = (a + x) % 65521;
            b = (b + a) % 65521;
        }

        return (b << 16) | a;
    }
}

using System.Net;
using System.Net.Sockets;
using Berth.Dns.Server;
using Berth.Dns.Tests.Infrastructure;
using Berth.Dns.Wire;
using CsCheck;

namespace Berth.Dns.Tests.Server;

/// <summary>
/// Malformed and random messages (CsCheck generators): the server never throws, and never answers with more bytes
/// than the query allows over UDP (512, or the EDNS size it advertised, at most ours) — no amplification.
/// </summary>
public sealed class FuzzTests
{
    private static readonly string[] _names = ["web.default.svc.cluster.local", "big.default.svc.cluster.local", "_http._tcp.web.default.svc.cluster.local", "nosuch.default.svc.cluster.local", "10-1-2-3.default.pod.cluster.local", "cluster.local", "20.0.96.10.in-addr.arpa"];

    private static readonly Gen<byte[]> _valid =
        Gen.Select(Gen.OneOfConst(_names), Gen.OneOfConst(Enum.GetValues<RecordType>()), Gen.UShort, Gen.Int[0, 5000].Select(n => n < 1000 ? (ushort?)null : (ushort)n))
            .Select((name, type, id, edns) => Queries.Build(name, type, id, edns));

    /// <summary>Valid queries with bytes flipped, cut short or extended: the interesting edge of the parser.</summary>
    private static readonly Gen<byte[]> _mutated =
        Gen.Select(_valid, Gen.Int[0, 8].SelectMany(n => Gen.Select(Gen.Int[0, 1000], Gen.Byte).Array[n]), Gen.Int[-20, 20])
            .Select((query, flips, resize) =>
            {
                var bytes = query.ToArray();
                foreach (var (at, value) in flips)
                {
                    bytes[at % bytes.Length] = value;
                }

                return resize < 0 ? bytes[..Math.Max(0, bytes.Length + resize)] : [.. bytes, .. new byte[resize]];
            });

    private static readonly Gen<byte[]> _random = Gen.Byte.Array[0, 600];

    [Fact]
    public void Process_AnyMessage_NeverThrows_NorAnswersBeyondTheAllowedSize()
    {
        var processor = new QueryProcessor(QueryProcessorTests.Zone(), maxUdpSize: 1232);
        using var buffers = new ThreadLocal<byte[]>(() => new byte[65537]);

        // CsCheck samples on every core at once: the processor is shared, as between the server's threads.
        Gen.OneOf(_mutated, _random, _valid).Sample(message =>
        {
            var response = buffers.Value!;
            var action = processor.Process(message, response, tcp: false, allowed: true, out var query, out var length);
            var outcome = QueryParser.Parse(message, out _);
            var limit = outcome == ParseOutcome.Ok ? ResponseWriter.Limit(query, tcp: false, 1232) : 12 + (query.HasOpt ? 11 : 0) + query.QuestionEnd;
            return action switch
            {
                QueryAction.Drop => length == 0,
                QueryAction.Forward or QueryAction.Chase => outcome == ParseOutcome.Ok,
                _ => length <= Math.Max(12, limit) && length <= 1232 && Queries.Id(response) == Queries.Id(message),
            };
        }, iter: 50_000, print: m => Convert.ToHexString(m));
    }

    [Theory]
    [InlineData(1)] // recvfrom/sendto
    [InlineData(32)] // recvmmsg/sendmmsg
    public async Task UdpServer_SurvivesAFlood_OfMalformedDatagrams(int batch)
    {
        using var block = AddressBlock.Claim();
        var processor = new QueryProcessor(QueryProcessorTests.Zone(), maxUdpSize: 1232);
        await using var forwarder = new Forwarding.Forwarder(new Forwarding.ForwarderOptions(), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        await using var server = UdpServer.Start(new IPEndPoint(IPAddress.Parse(block.Spare(9)), 0), 2, batch, processor, new ClientFilter([]), forwarder, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        client.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        client.ReceiveTimeout = 1000;
        var largest = 0;
        var sent = 0;
        var buffer = new byte[65536];

        Gen.OneOf(_mutated, _random).Sample(message =>
        {
            client.SendTo(message, server.Endpoint);
            sent++;
            while (client.Available > 0)
            {
                largest = Math.Max(largest, client.Receive(buffer));
            }
        }, iter: 3000, threads: 1);
        var answered = false;
        for (var attempt = 0; attempt < 5 && !answered; attempt++)
        {
            // UDP may drop the probe while the socket's queue is still full of the flood: ask again, as a resolver would.
            client.SendTo(Queries.Build("web.default.svc.cluster.local", RecordType.A, id: 7), server.Endpoint);
            try
            {
                while (!answered)
                {
                    var length = client.Receive(buffer);
                    largest = Math.Max(largest, length);
                    answered = Queries.Id(buffer) == 7 && (buffer[2] & 0x80) != 0 && length >= 40;
                }
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut)
            {
            }
        }

        Assert.Equal(3000, sent);
        Assert.True(answered, "the server stopped answering");
        Assert.Equal(ResponseCode.NoError, Queries.Rcode(buffer));
        Assert.True(largest <= 1232, $"largest response {largest}");
    }
}

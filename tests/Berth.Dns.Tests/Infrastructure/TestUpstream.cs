using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Berth.Dns.Tests.Infrastructure;

/// <summary>
/// A stand-in for the node's upstream resolver, on a loopback address of the test's own block (this machine has no
/// internet, and tests send traffic to 127/8 only). Written from RFC 1035 by hand, apart from the code under test:
/// <c>nx.*</c> → NXDOMAIN, <c>silent.*</c> → no answer, anything else → one A record, 198.51.100.7 (a documentation
/// address: data only, never contacted), TTL 60. Counts the queries it gets, by name.
/// </summary>
internal sealed class TestUpstream : IAsyncDisposable
{
    public static readonly IPAddress Answer = IPAddress.Parse("198.51.100.7");

    private readonly Socket _socket;
    private readonly Task _loop;
    private readonly CancellationTokenSource _stop = new();

    private TestUpstream(Socket socket)
    {
        _socket = socket;
        Endpoint = (IPEndPoint)socket.LocalEndPoint!;
        _loop = Task.Run(LoopAsync);
    }

    public IPEndPoint Endpoint { get; }

    public ConcurrentDictionary<string, int> Queries { get; } = new(StringComparer.OrdinalIgnoreCase);

    public static TestUpstream Start(IPAddress address)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(address, 0));
        return new TestUpstream(socket);
    }

    public int Count(string name) => Queries.GetValueOrDefault(name);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Dispose();
        try
        {
            await _loop;
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }

    private async Task LoopAsync()
    {
        var buffer = new byte[4096];
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        while (!_stop.IsCancellationRequested)
        {
            var received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, from, _stop.Token);
            var query = buffer.AsSpan(0, received.ReceivedBytes).ToArray();
            var name = ReadName(query, out var nameEnd);
            Queries.AddOrUpdate(name, 1, (_, n) => n + 1);
            if (name.StartsWith("silent.", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            await _socket.SendToAsync(Respond(query, nameEnd, name.StartsWith("nx.", StringComparison.OrdinalIgnoreCase)), SocketFlags.None, received.RemoteEndPoint, _stop.Token);
        }
    }

    private static byte[] Respond(byte[] query, int nameEnd, bool nxdomain)
    {
        var questionEnd = nameEnd + 4;
        var response = new List<byte>(query[..questionEnd]);
        response[2] = (byte)(0x80 | (query[2] & 0x01));
        response[3] = (byte)(0x80 | (nxdomain ? 3 : 0));
        var answers = nxdomain ? 0 : 1;
        response[6] = 0;
        response[7] = (byte)answers;
        response[8] = response[9] = response[10] = response[11] = 0;
        if (!nxdomain)
        {
            response.AddRange([0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, .. Answer.GetAddressBytes()]);
        }

        return [.. response];
    }

    private static string ReadName(byte[] message, out int end)
    {
        var labels = new List<string>();
        var at = 12;
        while (message[at] != 0)
        {
            labels.Add(Encoding.ASCII.GetString(message, at + 1, message[at]));
            at += 1 + message[at];
        }

        end = at + 1;
        return string.Join('.', labels);
    }
}

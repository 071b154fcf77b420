using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Berth.Agnhost.Go;

namespace Berth.Agnhost.Netexec;

/// <summary>
/// netexec's UDP server (<c>startUDPServer</c>): answers <c>hostname</c>, <c>echo &lt;msg&gt;</c> and
/// <c>clientip</c>; the command text is trimmed and lower-cased first, so echoed text comes back lower-case, as
/// upstream's does.
/// </summary>
internal sealed class UdpCommandServer : IDisposable
{
    private readonly Socket _socket;
    private readonly string _hostname;
    private readonly GoLog _log;

    private UdpCommandServer(Socket socket, string hostname, GoLog log)
    {
        _socket = socket;
        _hostname = hostname;
        _log = log;
    }

    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    public static UdpCommandServer Bind(IPEndPoint endPoint, string hostname, GoLog log)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Bind(endPoint);
            return new UdpCommandServer(socket, hostname, log);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Serves until cancelled (returns null) or a socket error (returns Go's fatal message).</summary>
    public async Task<string?> ServeAsync(CancellationToken cancellationToken)
    {
        // Go reads at most 2048 bytes of a datagram; a full-size buffer avoids .NET's truncation error.
        var buffer = new byte[65536];
        EndPoint any = new IPEndPoint(_socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (true)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, any, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return null;
            }
            catch (SocketException e)
            {
                return "Error occurred: failed accepting UDP connections:read udp " + GoText.Address(_socket.LocalEndPoint) + ": " + GoText.Errno(e.SocketErrorCode);
            }

            var client = received.RemoteEndPoint;
            var clientAddress = GoText.Address(client);
            var text = Encoding.UTF8.GetString(buffer, 0, Math.Min(received.ReceivedBytes, 2048)).Trim().ToLowerInvariant();
            string? answer = null;
            if (text == "hostname")
            {
                _log.Print("Sending udp hostName response");
                answer = _hostname;
            }
            else if (text.StartsWith("echo ", StringComparison.Ordinal))
            {
                answer = text[5..];
                _log.Print(string.Create(CultureInfo.InvariantCulture, $"Echoing {answer} to UDP client {clientAddress}\n"));
            }
            else if (text == "clientip")
            {
                _log.Print("Sending clientip back to UDP client " + clientAddress + "\n");
                answer = clientAddress;
            }
            else if (text.Length > 0)
            {
                _log.Print("Unknown UDP command received from " + clientAddress + ": " + text + "\n");
            }

            if (answer is null)
            {
                continue;
            }

            try
            {
                await _socket.SendToAsync(Encoding.UTF8.GetBytes(answer), SocketFlags.None, client, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return null;
            }
            catch (SocketException e)
            {
                return "Error occurred: failed to write to UDP client " + clientAddress + ":" + GoText.Errno(e.SocketErrorCode);
            }
        }
    }

    public void Dispose() => _socket.Dispose();
}

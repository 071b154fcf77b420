using System.Net;
using System.Net.Sockets;

namespace Berth.Proxy.Userspace;

/// <summary>Opens entry-point sockets; a failure to bind is a value (the reason), never an exception.</summary>
internal static class Listeners
{
    private const int SOL_SOCKET = 1;
    private const int SO_REUSEADDR = 2;

    /// <summary>A listening TCP socket on <paramref name="endPoint"/>, or the error the kernel gave.</summary>
    public static (Socket? Socket, SocketError Error) ListenTcp(IPEndPoint endPoint)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            // SO_REUSEADDR alone (Socket.ReuseAddress would add SO_REUSEPORT on Linux and let a second process bind
            // the same address and steal half the connections): a closed listener's TIME_WAIT sockets do not keep it
            // from being opened again, while a live listener elsewhere still makes the bind fail.
            socket.SetRawSocketOption(SOL_SOCKET, SO_REUSEADDR, BitConverter.GetBytes(1));

            // Accepted sockets inherit TCP_NODELAY from the listener: one setsockopt per listener, not per connection.
            socket.NoDelay = true;
            socket.Bind(endPoint);
            socket.Listen(4096);
            return (socket, SocketError.Success);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            return (null, e.SocketErrorCode);
        }
    }

    /// <summary>A UDP socket bound to <paramref name="endPoint"/>, or the error the kernel gave.</summary>
    public static (Socket? Socket, SocketError Error) BindUdp(IPEndPoint endPoint)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Bind(endPoint);
            return (socket, SocketError.Success);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            return (null, e.SocketErrorCode);
        }
    }
}

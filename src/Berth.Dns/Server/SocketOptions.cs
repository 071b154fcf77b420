using System.Net.Sockets;

namespace Berth.Dns.Server;

/// <summary>Socket settings the .NET API has no property for.</summary>
internal static class SocketOptions
{
    private const int SolSocket = 1;
    private const int SoReusePort = 15;

    /// <summary>
    /// SO_REUSEPORT: several sockets (one per core here, or another node's server on the same machine) bind one
    /// address, and the kernel spreads datagrams and connections over them.
    /// </summary>
    public static void ReusePort(Socket socket) => socket.SetRawSocketOption(SolSocket, SoReusePort, BitConverter.GetBytes(1));
}

using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Berth.Proxy.Native;

/// <summary>
/// Classic BPF socket filters. A listener with the one-instruction program <c>ret #0</c> attached drops every packet
/// the kernel hands it — TCP runs socket filters on a listener's SYNs (tcp_v4_rcv → tcp_filter) before any SYN-ACK or
/// RST — so the client's connect times out: kube-proxy's DROP (§5.7) without a firewall rule or root.
/// </summary>
internal static unsafe class SocketFilters
{
    private const int SOL_SOCKET = 1;
    private const int SO_ATTACH_FILTER = 26;
    private const int SO_DETACH_FILTER = 27;

    /// <summary><c>BPF_RET | BPF_K</c> with k = 0: accept zero bytes of the packet, i.e. drop it.</summary>
    private static readonly SockFilter* _dropAll = CreateDropAll();

    /// <summary>Attaches the drop-everything filter to <paramref name="socket"/>.</summary>
    public static void AttachDropAll(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        var program = new SockFprog { Length = 1, Filter = _dropAll };
        socket.SetRawSocketOption(SOL_SOCKET, SO_ATTACH_FILTER, new ReadOnlySpan<byte>(&program, sizeof(SockFprog)));
    }

    /// <summary>Removes the filter again.</summary>
    public static void Detach(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        var unused = 0;
        try
        {
            socket.SetRawSocketOption(SOL_SOCKET, SO_DETACH_FILTER, new ReadOnlySpan<byte>(&unused, sizeof(int)));
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.NoData || e.NativeErrorCode == 2)
        {
            // ENOENT: no filter attached.
        }
    }

    private static SockFilter* CreateDropAll()
    {
        var filter = (SockFilter*)NativeMemory.AllocZeroed((nuint)sizeof(SockFilter));
        filter->Code = 0x06;
        filter->K = 0;
        return filter;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct SockFilter
    {
        public ushort Code;
        public byte JumpTrue;
        public byte JumpFalse;
        public uint K;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct SockFprog
    {
        public ushort Length;
        public SockFilter* Filter;
    }
}

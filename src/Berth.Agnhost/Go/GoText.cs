using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Berth.Agnhost.Go;

/// <summary>How Go prints the values agnhost writes into answers and logs.</summary>
internal static class GoText
{
    /// <summary><c>fmt.Sprintf("%q", s)</c> for the printable strings agnhost quotes in its error answers.</summary>
    public static string Quote(string value)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in value)
        {
            _ = c switch
            {
                '"' => sb.Append("\\\""),
                '\\' => sb.Append("\\\\"),
                '\n' => sb.Append("\\n"),
                '\r' => sb.Append("\\r"),
                '\t' => sb.Append("\\t"),
                < ' ' or '\x7f' => sb.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture)),
                _ => sb.Append(c),
            };
        }

        return sb.Append('"').ToString();
    }

    /// <summary>
    /// <c>time.Now().String()</c> in UTC: <c>2006-01-02 15:04:05.999999999 +0000 UTC m=+1.234567890</c> (the monotonic
    /// reading is the time since the process started, as Go's is).
    /// </summary>
    public static string Time(DateTimeOffset now, TimeSpan sinceStart)
    {
        var utc = now.UtcDateTime;
        var fraction = (utc.Ticks % TimeSpan.TicksPerSecond * 100).ToString("D9", CultureInfo.InvariantCulture).TrimEnd('0');
        var seconds = sinceStart.TotalSeconds.ToString("F9", CultureInfo.InvariantCulture);
        return utc.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)
            + (fraction.Length > 0 ? "." + fraction : string.Empty)
            + " +0000 UTC m=" + (sinceStart < TimeSpan.Zero ? string.Empty : "+") + seconds;
    }

    /// <summary><c>net.Addr.String()</c>: <c>1.2.3.4:80</c>, <c>[::1]:80</c>.</summary>
    public static string Address(EndPoint? endPoint) => endPoint switch
    {
        IPEndPoint ip => HostPort(ip.Address.IsIPv4MappedToIPv6 ? ip.Address.MapToIPv4() : ip.Address, ip.Port),
        null => string.Empty,
        _ => endPoint.ToString() ?? string.Empty,
    };

    public static string HostPort(IPAddress address, int port) => address.AddressFamily == AddressFamily.InterNetworkV6
        ? "[" + address + "]:" + port.ToString(CultureInfo.InvariantCulture)
        : address + ":" + port.ToString(CultureInfo.InvariantCulture);

    /// <summary>The text Go's syscall.Errno gives for the socket errors agnhost can hit.</summary>
    public static string Errno(SocketError error) => error switch
    {
        SocketError.ConnectionRefused => "connection refused",
        SocketError.ConnectionReset => "connection reset by peer",
        SocketError.HostUnreachable => "no route to host",
        SocketError.NetworkUnreachable => "network is unreachable",
        SocketError.TimedOut => "connection timed out",
        SocketError.AddressAlreadyInUse => "address already in use",
        SocketError.AddressNotAvailable => "cannot assign requested address",
        SocketError.AccessDenied => "permission denied",
        SocketError.MessageSize => "message too long",
        _ => error.ToString(),
    };

    /// <summary>Go's <c>listen tcp 1.2.3.4:80: bind: address already in use</c>.</summary>
    public static string ListenError(string network, IPEndPoint endPoint, SocketException e) =>
        "listen " + network + " " + HostPort(endPoint.Address, endPoint.Port) + ": bind: " + Errno(e.SocketErrorCode);
}

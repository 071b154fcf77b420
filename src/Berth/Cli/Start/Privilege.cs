using System.Globalization;

namespace Berth.Cli.Start;

/// <summary>What this process may bind: as root every port; otherwise ports from <c>net.ipv4.ip_unprivileged_port_start</c> up.</summary>
internal sealed record Privilege(bool Root, int UnprivilegedPortStart)
{
    /// <summary>Whether a Service port (or the DNS) on <paramref name="port"/> can listen.</summary>
    public bool CanBind(int port) => Root || port >= UnprivilegedPortStart;

    public static Privilege OfThisProcess()
    {
        var start = 1024;
        try
        {
            start = int.Parse(File.ReadAllText("/proc/sys/net/ipv4/ip_unprivileged_port_start").Trim(), CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            // Not Linux's file, or not readable: assume the kernel's default.
        }

        return new Privilege(Environment.IsPrivilegedProcess, start);
    }
}

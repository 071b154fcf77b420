using System.Net;

namespace Berth.Dns.Forwarding;

/// <summary>The <c>nameserver</c> lines of a resolv.conf (resolv.conf(5)); port 53 each.</summary>
internal static class ResolvConf
{
    public static IReadOnlyList<IPEndPoint> Nameservers(string path)
    {
        if (path.Length == 0 || !File.Exists(path))
        {
            return [];
        }

        var servers = new List<IPEndPoint>();
        foreach (var raw in File.ReadLines(path))
        {
            var line = raw.Trim();
            var fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields is ["nameserver", var address, ..] && IPAddress.TryParse(address.Split('%')[0], out var ip))
            {
                servers.Add(new IPEndPoint(ip, 53));
            }
        }

        return servers;
    }
}

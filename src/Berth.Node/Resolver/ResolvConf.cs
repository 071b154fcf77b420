using System.Text;

namespace Berth.Node.Resolver;

/// <summary>
/// A resolver configuration: the kubelet's <c>runtimeapi.DNSConfig</c> (nameservers, search domains, options), read
/// from a <c>resolv.conf</c> as <c>parseResolvConf</c> in pkg/kubelet/network/dns/dns.go reads it and written as
/// containerd writes a pod's <c>/etc/resolv.conf</c> (<c>search</c>, then <c>nameserver</c> lines, then <c>options</c>).
/// </summary>
internal sealed record ResolvConf(IReadOnlyList<string> Nameservers, IReadOnlyList<string> Searches, IReadOnlyList<string> Options)
{
    /// <summary>dns.go's <c>maxResolveConfLength</c>: a larger file is not read.</summary>
    public const int MaxLength = 10 << 20;

    public static readonly ResolvConf Empty = new([], [], []);

    /// <summary>
    /// Reads <paramref name="text"/> as the kubelet does: <c>nameserver</c> lines accumulate, the last <c>search</c> and
    /// the last <c>options</c> line win, trailing dots of search domains go, <c>#</c> comments and other keywords
    /// (<c>domain</c>, <c>sortlist</c>) are ignored. A <c>nameserver</c> line without an address is an error.
    /// </summary>
    public static (ResolvConf Config, string? Error) Parse(string text)
    {
        var nameservers = new List<string>();
        IReadOnlyList<string> searches = [];
        IReadOnlyList<string> options = [];
        string? error = null;
        foreach (var line in text.Split('\n'))
        {
            var trimmed = line.Trim();
            if (trimmed.StartsWith('#'))
            {
                continue;
            }

            var fields = trimmed.Split([' ', '\t', '\r', '\v', '\f'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0)
            {
                continue;
            }

            switch (fields[0])
            {
                case "nameserver" when fields.Length >= 2:
                    nameservers.Add(fields[1]);
                    break;
                case "nameserver":
                    error = "nameserver list is empty ";
                    break;
                case "search":
                    searches = [.. fields.Skip(1).Select(s => s.EndsWith('.') ? s[..^1] : s)];
                    break;
                case "options":
                    options = [.. fields.Skip(1)];
                    break;
                default:
                    break;
            }
        }

        return (new ResolvConf(nameservers, searches, options), error);
    }

    /// <summary>The file a pod gets (containerd's <c>parseDNSOptions</c>): empty lists leave their line out.</summary>
    public string Render()
    {
        var text = new StringBuilder();
        if (Searches.Count > 0)
        {
            text.Append("search ").AppendJoin(' ', Searches).Append('\n');
        }

        foreach (var server in Nameservers)
        {
            text.Append("nameserver ").Append(server).Append('\n');
        }

        if (Options.Count > 0)
        {
            text.Append("options ").AppendJoin(' ', Options).Append('\n');
        }

        return text.ToString();
    }
}

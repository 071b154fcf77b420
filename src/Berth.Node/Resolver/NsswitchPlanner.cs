namespace Berth.Node.Resolver;

/// <summary>
/// The pod's <c>/etc/nsswitch.conf</c> when the host's would bypass the pod's resolv.conf and hosts file: a host that
/// looks names up through systemd-resolved (<c>hosts: files myhostname resolve [!UNAVAIL=return] dns</c>, Fedora's and
/// Ubuntu's default) would answer a pod's <c>getent hosts web</c> from its own resolver, not the cluster DNS. Container
/// images ship <c>hosts: files dns</c>; the pod gets the host's file with that one line changed. Pure.
/// </summary>
internal static class NsswitchPlanner
{
    public const string PodHostsLine = "hosts:          files dns";

    /// <summary>The pod's file, or null when the host's already looks names up through the files and DNS only.</summary>
    public static string? ForPod(string hostNsswitch)
    {
        ArgumentNullException.ThrowIfNull(hostNsswitch);
        var lines = hostNsswitch.Split('\n');
        var changed = false;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var content = line.Split('#', 2)[0].Trim();
            if (!content.StartsWith("hosts:", StringComparison.Ordinal))
            {
                continue;
            }

            var sources = content["hosts:".Length..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (sources is not ["files", "dns"])
            {
                lines[i] = PodHostsLine;
                changed = true;
            }
        }

        return changed ? string.Join('\n', lines) : null;
    }
}

namespace Berth.Cli.Start;

/// <summary>The ready block of each long-running command, from what started (pure: tests check it line by line).</summary>
internal static class ReadyBlockPlanner
{
    /// <summary><c>berth up</c>: the API and its kubeconfig, the node, its DNS, and how to use them.</summary>
    public static ReadyBlock Up(string apiUrl, string kubeconfig, string dataDir, StartedNode node, Privilege privilege)
    {
        ArgumentNullException.ThrowIfNull(node);
        List<(string, IReadOnlyList<ReadyLine>)> sections = [TryIt(kubeconfig)];
        sections.AddRange(ClusterNames(node));
        sections.Add(PrivilegeSection(privilege, node));
        sections.Add(Next(dataDir, "berth and its pods"));
        return new ReadyBlock("ready", [("API", apiUrl), ("kubeconfig", kubeconfig), .. NodeFacts(node)], sections);
    }

    /// <summary><c>berth server</c>: the API and its kubeconfig, and how to add a node.</summary>
    public static ReadyBlock Server(string apiUrl, string kubeconfig, string dataDir)
    {
        var token = Path.Combine(dataDir, "admin.token");
        return new ReadyBlock("ready", [("API", apiUrl), ("kubeconfig", kubeconfig)],
        [
            TryIt(kubeconfig),
            ("add a node (this machine or another that reaches the API):", [Command($"berth agent --server {apiUrl} --token-file {token}")]),
            Next(dataDir, "the API server and the controllers"),
        ]);
    }

    /// <summary><c>berth agent</c>: the node, its DNS and the server it joined.</summary>
    public static ReadyBlock Agent(string server, string dataDir, StartedNode node, Privilege privilege)
    {
        ArgumentNullException.ThrowIfNull(node);
        List<(string, IReadOnlyList<ReadyLine>)> sections = [.. ClusterNames(node)];
        sections.Add(PrivilegeSection(privilege, node));
        sections.Add(("next:", [Remark($"Ctrl-C stops the agent and its pods (the node's state stays in {dataDir})")]));
        return new ReadyBlock("node ready", [("API server", server), .. NodeFacts(node)], sections);
    }

    private static IEnumerable<(string, string)> NodeFacts(StartedNode node)
    {
        yield return ("node", $"{node.Name} ({node.Address}), pods from {node.PodCidr}");
        yield return ("cluster DNS", node switch
        {
            { DnsEnabled: false } => "off (--dns-addr none)",
            { Dns: null } => "not listening (its error is above)",
            { Dns: var dns } => $"{dns} (UDP, TCP) for {node.ClusterDomain}",
        });
        yield return ("metrics", $"http://{node.Metrics}/metrics");
    }

    private static (string, IReadOnlyList<ReadyLine>) TryIt(string kubeconfig) =>
        ("try it:", [Command($"export KUBECONFIG={kubeconfig}"), Command("kubectl --kubeconfig \"$KUBECONFIG\" get nodes")]);

    /// <summary>How to ask the cluster DNS from the host, whose resolver berth never changes.</summary>
    private static IEnumerable<(string, IReadOnlyList<ReadyLine>)> ClusterNames(StartedNode node)
    {
        if (node.Dns is not { } dns)
        {
            yield break;
        }

        var port = dns.Port == 53 ? "" : $" -p {dns.Port}";
        yield return ("cluster names from this machine's shell (berth never changes its resolver):",
        [
            Command($"dig @{dns.Address}{port} kubernetes.default.svc.{node.ClusterDomain}"),
            Remark($"to resolve them everywhere, with systemd-resolved: resolvectl dns <link> {dns.Address} && resolvectl domain <link> '~{node.ClusterDomain}'"),
        ]);
    }

    /// <summary>What needs privilege: only ports below the unprivileged start (Service ports, the DNS on 53).</summary>
    private static (string, IReadOnlyList<ReadyLine>) PrivilegeSection(Privilege privilege, StartedNode node)
    {
        ArgumentNullException.ThrowIfNull(privilege);
        if (privilege.Root)
        {
            return ("privilege:", [Remark("running as root: Service ports below 1024 and the DNS on port 53 can listen")]);
        }

        if (privilege.UnprivilegedPortStart == 0)
        {
            return ("privilege:", [Remark("net.ipv4.ip_unprivileged_port_start=0: every Service port can listen without root")]);
        }

        var dns = node.DnsEnabled && node.Dns is null ? " (and the DNS on port 53)" : "";
        return ("privilege:",
        [
            Remark($"not root: Service ports below {privilege.UnprivilegedPortStart}{dns} cannot listen; everything else works. To allow them:"),
            Command("sudo sysctl -w net.ipv4.ip_unprivileged_port_start=0"),
        ]);
    }

    private static (string, IReadOnlyList<ReadyLine>) Next(string dataDir, string what)
    {
        var flag = string.Equals(dataDir, Path.GetFullPath(ApiServer.ApiServerOptions.DefaultDataDir()), StringComparison.Ordinal) ? "" : $" --data-dir {dataDir}";
        return ("next:",
        [
            Command($"berth status{flag} -w"),
            Remark($"Ctrl-C stops {what}; the cluster stays in {dataDir} for the next start (berth reset{flag} removes it)"),
        ]);
    }

    private static ReadyLine Command(string text) => new(text, IsCommand: true);

    private static ReadyLine Remark(string text) => new(text, IsCommand: false);
}

using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Berth.Core.Files;
using Berth.Core.Validation;

namespace Berth.ApiServer.Security;

/// <summary>
/// The credential of a node agent that runs in another process or on another machine (<c>berth agent</c>): a kubeconfig
/// for this server whose user is a client certificate the cluster CA issues for <c>system:node:&lt;name&gt;</c> in
/// <c>system:nodes</c> (kubelet client certificates, as kubeadm makes them), written 0600 to
/// <c>&lt;data-dir&gt;/nodes/&lt;name&gt;.kubeconfig</c>. The agent then acts as that node only: the Node authorizer
/// and NodeRestriction admission keep it to its own Node, Lease, pods and their status.
/// </summary>
public static class NodeCredentials
{
    /// <summary>The folder of the data directory the node kubeconfigs are written to.</summary>
    public const string DirectoryName = "nodes";

    /// <summary>Where the kubeconfig of node <paramref name="nodeName"/> goes in <paramref name="dataDir"/>.</summary>
    public static string PathFor(string dataDir, string nodeName) => Path.Combine(dataDir, DirectoryName, nodeName + ".kubeconfig");

    /// <summary>The kubeconfig text of node <paramref name="nodeName"/> for the server at <paramref name="serverUrl"/> (a certificate valid one year).</summary>
    public static string Render(ClusterCredentials credentials, string serverUrl, string nodeName, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        if (NameValidators.DNS1123Subdomain(nodeName, false) is { Count: > 0 } problems)
        {
            throw new ArgumentException($"not a valid node name: {nodeName}: {string.Join("; ", problems)}", nameof(nodeName));
        }

        using var certificate = credentials.IssueClientCertificate(UserInfo.NodeUserPrefix + nodeName, [UserInfo.NodesGroup], now);
        return Kubeconfig.Render(serverUrl, credentials.CaPem, certificate);
    }

    /// <summary>Issues the credential of node <paramref name="nodeName"/> and writes it 0600 to <see cref="PathFor"/>; returns that path.</summary>
    public static string Write(ClusterCredentials credentials, string dataDir, string serverUrl, string nodeName, DateTimeOffset now)
    {
        var text = Render(credentials, serverUrl, nodeName, now);
        PrivateFiles.CreateDirectory(Path.Combine(dataDir, DirectoryName));
        var path = PathFor(dataDir, nodeName);
        PrivateFiles.WriteAllText(path, text);
        return path;
    }

    /// <summary>
    /// The kubeconfig of node <paramref name="nodeName"/>: the one already at <see cref="PathFor"/> when it is for
    /// <paramref name="serverUrl"/> and holds a certificate of this CA for that node valid 30 more days (so running the
    /// command again does not change a file an agent uses), else a new one (<see cref="Write"/>); returns its path.
    /// </summary>
    public static string WriteOrReuse(ClusterCredentials credentials, string dataDir, string serverUrl, string nodeName, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        var path = PathFor(dataDir, nodeName);
        return File.Exists(path) && IsCurrent(File.ReadAllText(path), credentials, serverUrl, nodeName, now)
            ? path
            : Write(credentials, dataDir, serverUrl, nodeName, now);
    }

    /// <summary>Reads the lines <see cref="Kubeconfig.Render(string, string, X509Certificate2, string)"/> writes; anything else is not current.</summary>
    private static bool IsCurrent(string kubeconfig, ClusterCredentials credentials, string serverUrl, string nodeName, DateTimeOffset now)
    {
        var lines = kubeconfig.Split('\n', StringSplitOptions.TrimEntries);
        if (ValueOf(lines, "server:") != serverUrl || ValueOf(lines, "client-certificate-data:") is not { } data)
        {
            return false;
        }

        try
        {
            using var certificate = X509Certificate2.CreateFromPem(Encoding.ASCII.GetString(Convert.FromBase64String(data)));
            return certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false) == UserInfo.NodeUserPrefix + nodeName
                && certificate.NotAfter.ToUniversalTime() > now.UtcDateTime.AddDays(30)
                && credentials.IsIssuedByCa(certificate);
        }
        catch (Exception e) when (e is FormatException or CryptographicException or ArgumentException)
        {
            return false;
        }
    }

    private static string? ValueOf(string[] lines, string key) =>
        lines.FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal))?[key.Length..].Trim();
}

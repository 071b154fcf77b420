namespace Berth.ApiServer.Security;

/// <summary>
/// Who a request is from, as authentication found it (apiserver <c>user.Info</c>): the user name and groups RBAC
/// subjects match, and the uid and extra values impersonation may carry. Every authenticated user is in
/// <see cref="AllAuthenticated"/>.
/// </summary>
public sealed record UserInfo(string Name, IReadOnlyList<string> Groups)
{
    /// <summary>The group the admin credentials are in; it may do everything (kube-apiserver's privileged group).</summary>
    public const string SystemMasters = "system:masters";

    /// <summary>Every authenticated user's group.</summary>
    public const string AllAuthenticated = "system:authenticated";

    /// <summary>The group of node agents (kubelets).</summary>
    public const string NodesGroup = "system:nodes";

    /// <summary>A node's user name is this prefix and the Node's name.</summary>
    public const string NodeUserPrefix = "system:node:";

    /// <summary>A service account's user name is this prefix, its namespace, ':' and its name.</summary>
    public const string ServiceAccountUserPrefix = "system:serviceaccount:";

    /// <summary>The user of the admin token (and of <c>kubeconfig.yaml</c>).</summary>
    public static UserInfo Admin { get; } = new("berth-admin", [SystemMasters, AllAuthenticated]);

    public string Uid { get; init; } = "";

    public IReadOnlyDictionary<string, IReadOnlyList<string>> Extra { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    public bool IsAdmin => Groups.Contains(SystemMasters);

    /// <summary>The identity of the node agent of Node <paramref name="nodeName"/>: <c>system:node:&lt;name&gt;</c> in <c>system:nodes</c>.</summary>
    public static UserInfo ForNode(string nodeName)
    {
        ArgumentException.ThrowIfNullOrEmpty(nodeName);
        return new(NodeUserPrefix + nodeName, [NodesGroup, AllAuthenticated]);
    }

    /// <summary>
    /// The Node this user acts for (kubernetes <c>pkg/auth/nodeidentifier</c>): a <c>system:node:&lt;name&gt;</c> user in
    /// <c>system:nodes</c>. Not a node: <c>IsNode</c> false; a node user without a name: <c>IsNode</c> true, name empty.
    /// </summary>
    public (bool IsNode, string NodeName) NodeIdentity() =>
        Name.StartsWith(NodeUserPrefix, StringComparison.Ordinal) && Groups.Contains(NodesGroup)
            ? (true, Name[NodeUserPrefix.Length..])
            : (false, "");

    /// <summary>The user name of service account <paramref name="name"/> in <paramref name="ns"/>.</summary>
    public static string ServiceAccountUserName(string ns, string name) => ServiceAccountUserPrefix + ns + ":" + name;

    /// <summary>The groups of every service account of <paramref name="ns"/> (<c>serviceaccount.MakeGroupNames</c>).</summary>
    public static IReadOnlyList<string> ServiceAccountGroups(string ns) => ["system:serviceaccounts", "system:serviceaccounts:" + ns];

    /// <summary>A service account user name split into namespace and name, or null (<c>serviceaccount.SplitUsername</c>).</summary>
    public static (string Namespace, string Name)? SplitServiceAccount(string userName)
    {
        if (!userName.StartsWith(ServiceAccountUserPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var parts = userName[ServiceAccountUserPrefix.Length..].Split(':');
        return parts is [{ Length: > 0 } ns, { Length: > 0 } name] ? (ns, name) : null;
    }
}

using System.Globalization;

namespace Berth.Node.Runtime;

/// <summary>
/// The user a process of a pod runs as when the agent is root: set with util-linux <c>setpriv</c> as the last step
/// before the command (after the sandbox's bind mounts and host name, which need root), so the pid stays the
/// command's own.
/// </summary>
/// <param name="Uid">The real, effective and saved user id.</param>
/// <param name="Gid">The real, effective and saved group id.</param>
/// <param name="Groups">
/// The supplementary groups, the primary group first (container runtimes list it too: <c>id</c> in a pod with
/// <c>runAsGroup: 3000</c> and <c>supplementalGroups: [4000]</c> prints <c>groups=3000,4000</c>).
/// </param>
public sealed record ProcessUser(long Uid, long Gid, IReadOnlyList<long> Groups)
{
    /// <summary>A user with only its primary group.</summary>
    public ProcessUser(long uid, long gid)
        : this(uid, gid, [gid])
    {
    }

    /// <summary>
    /// Adds <c>setpriv --reuid U --regid G --groups G,… --</c>; the caller then adds the command. Leaving root this way
    /// also clears the permitted, effective and ambient capabilities (capabilities(7), "Effect of user ID changes").
    /// </summary>
    internal void AddSetprivTo(IList<string> arguments, string setpriv)
    {
        arguments.Add(setpriv);
        arguments.Add("--reuid=" + Uid.ToString(CultureInfo.InvariantCulture));
        arguments.Add("--regid=" + Gid.ToString(CultureInfo.InvariantCulture));
        arguments.Add("--groups=" + string.Join(',', Groups.Select(g => g.ToString(CultureInfo.InvariantCulture))));
        arguments.Add("--");
    }

    public override string ToString() =>
        "uid " + Uid.ToString(CultureInfo.InvariantCulture) + ", gid " + Gid.ToString(CultureInfo.InvariantCulture)
        + ", groups " + string.Join(',', Groups.Select(g => g.ToString(CultureInfo.InvariantCulture)));
}

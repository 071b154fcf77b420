using System.Globalization;

namespace Berth.Node.Runtime;

/// <summary>
/// The host's users and groups as <c>/etc/passwd</c> and <c>/etc/group</c> list them (what <c>getpwnam(3)</c> finds
/// through the usual <c>files</c> source; users only a directory service knows are given by number).
/// </summary>
internal sealed class HostAccounts
{
    /// <summary>
    /// The kernel's overflow id: <c>nobody</c> (and <c>nogroup</c> on Debian, <c>nobody</c> on Fedora), which owns no
    /// files. Used when the name <c>nobody</c> is missing from the files.
    /// </summary>
    public const long Nobody = 65534;

    private readonly Dictionary<string, (long Uid, long Gid)> _users = new(StringComparer.Ordinal);
    private readonly Dictionary<long, long> _primaryGroups = [];
    private readonly Dictionary<string, long> _groups = new(StringComparer.Ordinal);

    /// <summary>Reads the two files; a missing or unreadable one counts as empty.</summary>
    public static HostAccounts Load(string passwd = "/etc/passwd", string group = "/etc/group")
    {
        var accounts = new HostAccounts();
        foreach (var fields in Records(passwd))
        {
            // name:password:uid:gid:gecos:home:shell
            if (fields.Length >= 4 && TryId(fields[2], out var uid) && TryId(fields[3], out var gid))
            {
                accounts._users.TryAdd(fields[0], (uid, gid));
                accounts._primaryGroups.TryAdd(uid, gid);
            }
        }

        foreach (var fields in Records(group))
        {
            // name:password:gid:members
            if (fields.Length >= 3 && TryId(fields[2], out var gid))
            {
                accounts._groups.TryAdd(fields[0], gid);
            }
        }

        return accounts;
    }

    /// <summary>The primary group of <paramref name="uid"/>'s first entry in /etc/passwd, or null.</summary>
    public long? PrimaryGroupOf(long uid) => _primaryGroups.TryGetValue(uid, out var gid) ? gid : null;

    /// <summary>
    /// Resolves <c>user[:group]</c> (names or numbers, as <c>chown</c> takes them). Without a group: the user's primary
    /// group, else <see cref="Nobody"/>. Returns why not when a name is unknown.
    /// </summary>
    public (ProcessUser? User, string? Error) Resolve(string spec)
    {
        var colon = spec.IndexOf(':', StringComparison.Ordinal);
        var userPart = colon < 0 ? spec : spec[..colon];
        var groupPart = colon < 0 ? null : spec[(colon + 1)..];

        long uid;
        long? primary;
        if (TryId(userPart, out var number))
        {
            uid = number;
            primary = PrimaryGroupOf(uid);
        }
        else if (_users.TryGetValue(userPart, out var user))
        {
            (uid, primary) = (user.Uid, user.Gid);
        }
        else if (userPart == "nobody")
        {
            (uid, primary) = (Nobody, Nobody);
        }
        else
        {
            return (null, $"user \"{userPart}\" is not in /etc/passwd (give a name listed there or a number)");
        }

        long gid;
        if (groupPart is null || groupPart.Length == 0)
        {
            gid = primary ?? Nobody;
        }
        else if (TryId(groupPart, out var groupNumber))
        {
            gid = groupNumber;
        }
        else if (_groups.TryGetValue(groupPart, out var named))
        {
            gid = named;
        }
        else if (groupPart is "nogroup" or "nobody")
        {
            gid = Nobody;
        }
        else
        {
            return (null, $"group \"{groupPart}\" is not in /etc/group (give a name listed there or a number)");
        }

        return (new ProcessUser(uid, gid), null);
    }

    private static IEnumerable<string[]> Records(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            yield break;
        }

        foreach (var line in lines)
        {
            if (line.Length > 0 && line[0] != '#')
            {
                yield return line.Split(':');
            }
        }
    }

    private static bool TryId(string text, out long id) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out id) && id <= uint.MaxValue - 1;
}

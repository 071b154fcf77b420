using System.Runtime.InteropServices;

namespace Berth.Node.Runtime;

/// <summary>The few libc calls .NET has no API for: the agent's own ids, <c>chown(2)</c> <c>link(2)</c> and <c>rename(2)</c> of a symbolic link.</summary>
internal static partial class Posix
{
    /// <summary>The agent's effective user id.</summary>
    public static long EffectiveUserId => GetEffectiveUserId();

    /// <summary>The agent's effective group id.</summary>
    public static long EffectiveGroupId => GetEffectiveGroupId();

    /// <summary>Changes the owner of <paramref name="path"/> (not following a symbolic link); -1 keeps one of them.</summary>
    public static void ChangeOwner(string path, long uid, long gid)
    {
        if (LChown(path, unchecked((uint)uid), unchecked((uint)gid)) != 0)
        {
            throw new IOException($"chown {path} failed with errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>Makes <paramref name="target"/> a hard link to <paramref name="source"/>; false when link(2) fails (e.g. across file systems).</summary>
    public static bool TryHardLink(string source, string target) => Link(source, target) == 0;

    /// <summary>
    /// Renames <paramref name="source"/> over <paramref name="target"/> in one step (rename(2)), also when both are
    /// symbolic links to directories (File.Move refuses those).
    /// </summary>
    public static void Rename(string source, string target)
    {
        if (RenameFile(source, target) != 0)
        {
            throw new IOException($"rename {source} {target} failed with errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [LibraryImport("libc", EntryPoint = "rename", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int RenameFile(string source, string target);

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Link(string source, string target);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUserId();

    [LibraryImport("libc", EntryPoint = "getegid")]
    private static partial uint GetEffectiveGroupId();

    [LibraryImport("libc", EntryPoint = "lchown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int LChown(string path, uint uid, uint gid);
}

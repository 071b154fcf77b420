using System.Text;

namespace Berth.Node.Runtime;

/// <summary>Lines of a <see cref="PodSandbox.MountTable"/>: <c>fstab(5)</c> bind mounts.</summary>
public static class MountTable
{
    /// <summary>One bind mount of <paramref name="source"/> over <paramref name="target"/>, newline included.</summary>
    public static string Line(string source, string target) => Line(source, target, readOnly: false);

    /// <summary>The same, read-only when asked (mount(8) remounts the bind read-only at once).</summary>
    public static string Line(string source, string target, bool readOnly) =>
        Escape(source) + " " + Escape(target) + (readOnly ? " none bind,ro 0 0\n" : " none bind 0 0\n");

    /// <summary>fstab escapes white space and backslashes as octal (<c>\040</c>), as getmntent(3) reads them.</summary>
    private static string Escape(string path)
    {
        if (!path.AsSpan().ContainsAny(" \t\n\\"))
        {
            return path;
        }

        var text = new StringBuilder(path.Length + 8);
        foreach (var c in path)
        {
            _ = c switch
            {
                ' ' => text.Append("\\040"),
                '\t' => text.Append("\\011"),
                '\n' => text.Append("\\012"),
                '\\' => text.Append("\\134"),
                _ => text.Append(c),
            };
        }

        return text.ToString();
    }
}

using System.Globalization;

namespace Berth.Node.Tests.Integration;

/// <summary>Reads /proc to tell whether a process group still has a live (not zombie) member.</summary>
internal static class ProcessGroups
{
    public static bool HasLiveMember(int processGroup)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (fields[0] != "Z" && fields[2] == processGroup.ToString(CultureInfo.InvariantCulture))
                {
                    return true;
                }
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
        }

        return false;
    }

    /// <summary>Waits until no live process of the group is left (zombies wait for their reaper, which is not ours).</summary>
    public static Task WaitGoneAsync(int processGroup) =>
        Eventually.TrueAsync(() => Task.FromResult(!HasLiveMember(processGroup)), $"process group {processGroup} gone", TimeSpan.FromSeconds(10));
}

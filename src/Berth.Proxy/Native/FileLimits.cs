namespace Berth.Proxy.Native;

/// <summary>
/// Raises the soft limit of open files to the hard limit: every Service entry point is a socket, and so is each side of
/// every proxied connection (10,000 Services need 10,000 listeners before the first connection).
/// </summary>
internal static unsafe class FileLimits
{
    /// <summary>The soft limit after raising it, or null when the limits cannot be read.</summary>
    public static ulong? RaiseOpenFiles()
    {
        LibC.RLimit limit;
        if (LibC.GetRLimit(LibC.RLIMIT_NOFILE, &limit) != 0)
        {
            return null;
        }

        if (limit.Current < limit.Maximum)
        {
            var raised = limit with { Current = limit.Maximum };
            if (LibC.SetRLimit(LibC.RLIMIT_NOFILE, &raised) == 0)
            {
                return raised.Current;
            }
        }

        return limit.Current;
    }
}

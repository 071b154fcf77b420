using System.Runtime.InteropServices;

namespace Berth.Node.Runtime;

/// <summary>POSIX signal numbers (Linux) and <c>kill(2)</c>.</summary>
public static partial class Signals
{
    public const int Hangup = 1;
    public const int Interrupt = 2;
    public const int Kill = 9;
    public const int Terminate = 15;
    public const int Continue = 18;

    private const int NoSuchProcess = 3; // ESRCH

    /// <summary>
    /// Sends <paramref name="signal"/> to every process of the process group <paramref name="processGroup"/>.
    /// Returns <c>false</c> when the group no longer exists.
    /// </summary>
    public static bool SignalGroup(int processGroup, int signal)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(processGroup);
        return Send(-processGroup, signal);
    }

    /// <summary>Sends <paramref name="signal"/> to one process; <c>false</c> when it no longer exists.</summary>
    public static bool SignalProcess(int pid, int signal)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pid);
        return Send(pid, signal);
    }

    /// <summary>Whether any process of the group is still alive (signal 0 probes without sending).</summary>
    public static bool GroupExists(int processGroup) => Send(-processGroup, 0);

    private static bool Send(int target, int signal)
    {
        if (NativeKill(target, signal) == 0)
        {
            return true;
        }

        var errno = Marshal.GetLastPInvokeError();
        return errno == NoSuchProcess
            ? false
            : throw new InvalidOperationException($"kill({target}, {signal}) failed with errno {errno}");
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int NativeKill(int pid, int signal);
}

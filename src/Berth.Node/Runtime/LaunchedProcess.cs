namespace Berth.Node.Runtime;

/// <summary>
/// One process started by <see cref="ProcessLauncher"/>, leader of its own session and process group. Everything it
/// forks stays in that group (unless it calls <c>setsid</c> itself), so signalling the group reaches the whole tree.
/// </summary>
public sealed class LaunchedProcess
{
    internal LaunchedProcess(int pid, Stream standardOutput, Stream standardError, Stream? standardInput, Task<int> exited)
    {
        Pid = pid;
        StandardOutput = standardOutput;
        StandardError = standardError;
        StandardInput = standardInput;
        Exited = exited;
    }

    /// <summary>The process id, which is also its process group and session id.</summary>
    public int Pid { get; }

    /// <summary>The read end of the process's stdout pipe.</summary>
    public Stream StandardOutput { get; }

    /// <summary>The read end of the process's stderr pipe.</summary>
    public Stream StandardError { get; }

    /// <summary>The write end of stdin when <see cref="ProcessSpec.RedirectStandardInput"/> was set.</summary>
    public Stream? StandardInput { get; }

    /// <summary>
    /// Completes with the exit code once the main process has ended (128 + signal number when a signal ended it, as
    /// container runtimes report it). By then every other process left in its group has been sent SIGKILL: when a
    /// container's main process ends, the container ends.
    /// </summary>
    public Task<int> Exited { get; }

    /// <summary>Sends <paramref name="signal"/> to the whole process group; <c>false</c> when it is already gone.</summary>
    /// <remarks>
    /// Right after <see cref="ProcessLauncher.Launch"/> the child may not have called <c>setsid</c> yet, so its group
    /// does not exist; it is then the only process of the container and gets the signal itself.
    /// </remarks>
    public bool Signal(int signal) =>
        Signals.SignalGroup(Pid, signal) || (!Exited.IsCompleted && Signals.SignalProcess(Pid, signal));
}
